using System.Diagnostics;

namespace Rlsc.Runtime.Platform;

/// <summary>CPU time in user and kernel mode and the peak resident memory of this process: what a benchmark reports beside its timings.</summary>
public readonly record struct ProcessResources(double UserSeconds, double SystemSeconds, long PeakResidentBytes)
{
    public static ProcessResources Now()
    {
        using var self = Process.GetCurrentProcess();
        return new ProcessResources(self.UserProcessorTime.TotalSeconds, self.PrivilegedProcessorTime.TotalSeconds, PeakResident(self));
    }

    /// <summary>CPU time spent between two readings (the peak is the later reading's: a high-water mark cannot be split).</summary>
    public ProcessResources Since(ProcessResources earlier) =>
        new(UserSeconds - earlier.UserSeconds, SystemSeconds - earlier.SystemSeconds, PeakResidentBytes);

    // VmHWM, the kernel's high-water mark of the resident set, in /proc/self/status (Linux); elsewhere .NET's peak working set.
    static long PeakResident(Process self)
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
            foreach (var line in File.ReadLines(status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        return self.PeakWorkingSet64;
    }
}
