using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// UUIDv7 event ids (RFC 9562: 48-bit Unix milliseconds, version, 74 random bits) with the random bits drawn from a
/// per-thread buffer filled by the system's CSPRNG 4 KiB at a time: <see cref="Guid.CreateVersion7(DateTimeOffset)"/>
/// asks the kernel for randomness on every id, one system call per audited request.
/// </summary>
internal static class AuditEventIds
{
    private const int BufferSize = 4096;
    private const int RandomBytes = 10;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    public static Guid Next(long unixMilliseconds)
    {
        if (t_random is null || t_used + RandomBytes > BufferSize)
        {
            t_random ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(t_random);
            t_used = 0;
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, unixMilliseconds << 16); // the low 48 bits of the time in bytes 0-5
        t_random.AsSpan(t_used, RandomBytes).CopyTo(bytes[6..]);
        t_random.AsSpan(t_used, RandomBytes).Clear(); // used once
        t_used += RandomBytes;
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
