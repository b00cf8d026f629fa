using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace TradeFinder.Gateway.Logging;

/// <summary>
/// Exact-match masking of the live key values without keeping them: each is held as a fingerprint (length, a
/// polynomial rolling hash with a per-process random base, and SHA-256). Text is scanned with the rolling hash
/// (Rabin–Karp, one pass per distinct length) and a window is masked only when its SHA-256 matches too. So the
/// secret itself stays in the key's byte array, which is wiped on retirement, and never becomes a string.
/// </summary>
internal static class RegisteredSecrets
{
    private const int MinLength = 8;
    private const int MaxLength = 1024;
    private static readonly ulong Base = MemoryMarshal.Read<ulong>(RandomNumberGenerator.GetBytes(8)) | 1UL;
    private static readonly Lock Gate = new();
    private static SecretPrint[] _prints = [];
    private static int[] _lengths = [];

    public static void Register(string value) => Register(value.AsSpan());

    public static void Register(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length is < MinLength or > MaxLength * 3)
        {
            return;
        }

        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, chars);
            Register(chars.AsSpan(0, count));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    public static void Forget(string value)
    {
        var print = Fingerprint(value);
        lock (Gate)
        {
            Publish([.. _prints.Where(p => p != print)]);
        }
    }

    /// <summary>The text with every occurrence of a registered value replaced by the mask.</summary>
    public static string Mask(string text)
    {
        var prints = Volatile.Read(ref _prints);
        if (prints.Length == 0)
        {
            return text;
        }

        List<(int Start, int Length)>? found = null;
        foreach (var length in Volatile.Read(ref _lengths))
        {
            if (length <= text.Length)
            {
                Scan(text, length, prints, ref found);
            }
        }

        if (found is null)
        {
            return text;
        }

        found.Sort();
        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, length) in found)
        {
            if (start + length <= at)
            {
                continue;
            }

            if (start >= at)
            {
                result.Append(text, at, start - at).Append(Redactor.Mask);
            }

            at = start + length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    private static void Register(ReadOnlySpan<char> value)
    {
        if (value.Length is < MinLength or > MaxLength)
        {
            return;
        }

        var print = Fingerprint(value);
        lock (Gate)
        {
            if (!_prints.Contains(print))
            {
                Publish([.. _prints, print]);
            }
        }
    }

    /// <summary>Lengths first, so a reader never sees a print whose length it will not scan for.</summary>
    private static void Publish(SecretPrint[] prints)
    {
        Volatile.Write(ref _lengths, [.. prints.Select(p => p.Length).Distinct()]);
        Volatile.Write(ref _prints, prints);
    }

    private static void Scan(string text, int length, SecretPrint[] prints, ref List<(int, int)>? found)
    {
        var power = Power(length);
        var hash = Hash(text.AsSpan(0, length));
        for (var i = 0; ; i++)
        {
            foreach (var p in prints)
            {
                if (p.Length == length && p.Rolling == hash && Sha256(text.AsSpan(i, length)) == p.Sha256)
                {
                    (found ??= []).Add((i, length));
                }
            }

            if (i + length >= text.Length)
            {
                return;
            }

            hash = ((hash - (text[i] * power)) * Base) + text[i + length];
        }
    }

    private static SecretPrint Fingerprint(ReadOnlySpan<char> value) => new(value.Length, Hash(value), Sha256(value));

    private static ulong Hash(ReadOnlySpan<char> value)
    {
        ulong hash = 0;
        foreach (var c in value)
        {
            hash = (hash * Base) + c;
        }

        return hash;
    }

    /// <summary>Base^(length-1): the weight of the character leaving the window.</summary>
    private static ulong Power(int length)
    {
        ulong power = 1;
        for (var i = 1; i < length; i++)
        {
            power *= Base;
        }

        return power;
    }

    private static UInt128 Sha256(ReadOnlySpan<char> value)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(value), digest);
        return MemoryMarshal.Read<UInt128>(digest);
    }

    private readonly record struct SecretPrint(int Length, ulong Rolling, UInt128 Sha256);
}
