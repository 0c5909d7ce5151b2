using System.Diagnostics;
using System.Globalization;

namespace KpRegistry.LoadTest;

/// <summary>
/// CPU time used on the whole machine (/proc/stat), so a phase can say how much of the machine
/// OTHER processes took while it ran: the figures are only comparable when that is near zero.
/// </summary>
public readonly record struct CpuSnapshot(double MachineBusySeconds, double SelfSeconds, double ServerSeconds)
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    public static CpuSnapshot Take(ServerProcess? server)
    {
        string[] cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
        double busy = 0;
        for (int i = 1; i < cpu.Length && i <= 8; i++)
        {
            if (i is 4 or 5)
            {
                continue;
            }
            busy += double.Parse(cpu[i], CultureInfo.InvariantCulture);
        }
        using var self = Process.GetCurrentProcess();
        return new CpuSnapshot(busy / TicksPerSecond, self.TotalProcessorTime.TotalSeconds, server?.CpuTime.TotalSeconds ?? 0);
    }

    /// <summary>CPU seconds that neither this process nor the server used between the two snapshots.</summary>
    public static double OthersSeconds(CpuSnapshot start, CpuSnapshot end) =>
        Math.Max(0, (end.MachineBusySeconds - start.MachineBusySeconds) - (end.SelfSeconds - start.SelfSeconds) - (end.ServerSeconds - start.ServerSeconds));
}
