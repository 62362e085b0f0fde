using System.Runtime.InteropServices;

namespace Rlsc.Runtime.Sampling;

/// <summary>
/// CPU time of the calling thread (clock_gettime(CLOCK_THREAD_CPUTIME_ID), nanosecond resolution), for benchmarks
/// on shared machines: with one torch thread all the work runs on the calling thread, so its CPU time is what the
/// step costs, whatever time the scheduler gives to other processes. Returns NaN where the clock is unavailable.
/// </summary>
public static class ThreadCpuClock
{
    const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Milliseconds of CPU time this thread has used.</summary>
    public static double NowMs()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : double.NaN;
        }
        catch (DllNotFoundException)
        {
            return double.NaN;
        }
    }
}
