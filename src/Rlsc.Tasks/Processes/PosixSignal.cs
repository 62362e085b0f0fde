using System.Runtime.InteropServices;

namespace Rlsc.Tasks.Processes;

/// <summary>
/// Sends a POSIX signal with libc's <c>kill(2)</c>. .NET can only kill a process outright; a signal lets
/// rlsc finish its step, save a checkpoint and exit 130, so that the run can be resumed.
/// </summary>
internal static class PosixSignal
{
    /// <summary>SIGINT, what Ctrl+C sends; the same number on Linux and macOS.</summary>
    public const int Interrupt = 2;
    /// <summary>SIGTERM, what service managers and CI runners send; the same number on Linux and macOS.</summary>
    public const int Terminate = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    /// <summary>Whether this OS has POSIX signals (Windows has none: there the tree is killed after the grace period).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Sends the signal; false when it could not be sent (the process is gone, or no signals here).</summary>
    public static bool TrySend(int pid, int signal)
    {
        if (!IsSupported) return false;
        try
        {
            return Kill(pid, signal) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
