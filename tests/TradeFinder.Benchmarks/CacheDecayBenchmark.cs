using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TradeFinder.Benchmarks;

/// <summary>
/// What a request pays for memory it has not touched for a while, on this machine: the cost of reaching lines of code
/// and data again after an idle gap as long as the hop's gaps between requests (1,000/s: 1 ms, 200/s: 5 ms, 20/s: 50 ms).
/// A request at a low rate runs its whole path this way, so a longer path (more distinct lines of code and data) costs
/// more per request the longer the gap, whatever its work when warm. The same code in 4 KB pages and in one 2 MB page
/// (a transparent huge page, asked for with madvise) tells how much of that cost is page walks; data spread over as
/// many pages as lines and packed into seven tells the same for data. Linux x86-64 only (it writes machine code).
/// </summary>
internal static unsafe class CacheDecayBenchmark
{
    private const int Lines = 400;
    private const int PageSize = 4096;
    private const nuint Region = 4 << 20;
    private const nuint HugePage = 2 << 20;

    public static IEnumerable<string> Run(int samples)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException("cache-decay writes x86-64 machine code and maps it with Linux calls");
        }

        var smallCode = CodeChain(huge: false);
        var hugeCode = CodeChain(huge: true);
        var spreadData = DataChain(PageSize);
        var packedData = DataChain(64);
        var variants = new (string Name, Func<long> Touch, string Note)[]
        {
            ("code, 400 lines in 400 pages (4 KB)", () => ((delegate* unmanaged<long>)smallCode)(), ""),
            ("code, 400 lines in 400 pages (one 2 MB page)", () => ((delegate* unmanaged<long>)hugeCode)(), HugePagesNote(hugeCode)),
            ("data, 400 lines in 400 pages (4 KB)", () => Chase(spreadData), ""),
            ("data, 400 lines in 7 pages", () => Chase(packedData), ""),
        };

        var gaps = new[] { 0, 1, 5, 20, 50 };
        var lines = new List<string>
        {
            "| memory touched | " + string.Join(" | ", gaps.Select(g => g == 0 ? "back to back" : $"after {g} ms idle")) + " |",
            "|---|" + string.Concat(gaps.Select(_ => "---:|")),
        };
        var results = variants.Select(_ => new double[gaps.Length]).ToArray();
        for (var g = 0; g < gaps.Length; g++)
        {
            var perVariant = variants.Select(_ => new double[samples]).ToArray();
            for (var i = 0; i < samples; i++)
            {
                // Interleaved, so that every variant sees the same phases of the machine.
                for (var v = 0; v < variants.Length; v++)
                {
                    if (gaps[g] > 0)
                    {
                        Thread.Sleep(gaps[g]);
                    }
                    else
                    {
                        variants[v].Touch();
                    }

                    // The clock read once before, so that its own first read after the gap is not in the figure.
                    Stopwatch.GetTimestamp();
                    var start = Stopwatch.GetTimestamp();
                    variants[v].Touch();
                    perVariant[v][i] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Lines;
                }
            }

            for (var v = 0; v < variants.Length; v++)
            {
                results[v][g] = LoadRunner.Percentile([.. perVariant[v].Order()], 0.50);
            }
        }

        for (var v = 0; v < variants.Length; v++)
        {
            lines.Add($"| {variants[v].Name}{variants[v].Note} | " + string.Join(" | ", results[v].Select(ns => ns.ToString("F1", CultureInfo.InvariantCulture))) + " |");
        }

        lines.Add("");
        lines.Add($"ns per line touched, median of {samples} passes over {Lines} lines (64 bytes) each, one line per page unless said.");
        return lines;
    }

    // 400 jumps, one per page: `add rax, 1; jmp` to the next page's first byte, `ret` on the last.
    private static byte* CodeChain(bool huge)
    {
        var page = AlignedRegion(huge);
        new Span<byte>(page, (int)Region).Fill(0xCC);
        for (var i = 0; i < Lines; i++)
        {
            var at = page + (i * PageSize);
            if (i == Lines - 1)
            {
                at[0] = 0xC3;
                break;
            }

            at[0] = 0x48;
            at[1] = 0x83;
            at[2] = 0xC0;
            at[3] = 0x01;
            at[4] = 0xE9;
            *(int*)(at + 5) = PageSize - 9;
        }

        if (mprotect(page, Region, ProtRead | ProtExec) != 0)
        {
            throw new InvalidOperationException("mprotect failed: " + Marshal.GetLastPInvokeError());
        }

        return page;
    }

    // A pointer chase over 400 lines in a shuffled order (fixed seed), so that no prefetcher guesses the next line.
    private static nint* DataChain(int stride)
    {
        var region = AlignedRegion(huge: false);
        var order = Enumerable.Range(0, Lines).ToArray();
        new Random(17).Shuffle(order);
        for (var i = 0; i < Lines; i++)
        {
            var from = (nint*)(region + (order[i] * stride));
            *from = (nint)(region + (order[(i + 1) % Lines] * stride));
        }

        return (nint*)(region + (order[0] * stride));
    }

    private static long Chase(nint* start)
    {
        var at = start;
        for (var i = 0; i < Lines; i++)
        {
            at = (nint*)*at;
        }

        return (long)at;
    }

    private static byte* AlignedRegion(bool huge)
    {
        // One huge page more than needed, then the 2 MB-aligned part: a huge page needs an aligned address.
        var raw = mmap(null, Region + HugePage, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (raw == (void*)-1)
        {
            throw new InvalidOperationException("mmap failed: " + Marshal.GetLastPInvokeError());
        }

        var aligned = (byte*)(((nuint)raw + HugePage - 1) & ~(HugePage - 1));
        _ = madvise(aligned, Region, huge ? MadvHugePage : MadvNoHugePage);
        new Span<byte>(aligned, (int)Region).Clear();
        return aligned;
    }

    // Whether the kernel gave the region huge pages (THP "madvise" or "always"; "never" gives none).
    private static string HugePagesNote(byte* region)
    {
        var start = ((nuint)region).ToString("x", CultureInfo.InvariantCulture);
        var smaps = File.ReadAllLines("/proc/self/smaps");
        var at = Array.FindIndex(smaps, l => l.StartsWith(start + "-", StringComparison.Ordinal));
        var huge = at < 0 ? null : smaps.Skip(at + 1).Take(30).FirstOrDefault(l => l.StartsWith("AnonHugePages:", StringComparison.Ordinal));
        return huge is null ? " (huge pages not reported)" : huge.Contains(" 0 kB", StringComparison.Ordinal) ? " (the kernel gave no huge page)" : "";
    }

    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20, MadvHugePage = 14, MadvNoHugePage = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(void* address, nuint length, int protection);

    [DllImport("libc", SetLastError = true)]
    private static extern int madvise(void* address, nuint length, int advice);
}
