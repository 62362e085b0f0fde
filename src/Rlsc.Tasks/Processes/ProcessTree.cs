using System.Globalization;

namespace Rlsc.Tasks.Processes;

/// <summary>
/// The descendants of a process, from Linux's /proc. Needed because rlsc may run under a launcher
/// (<c>dotnet tool run rlsc</c> starts rlsc as a child of the dotnet host): the signal has to reach rlsc itself.
/// Elsewhere (no /proc) only the root process is known.
/// </summary>
internal static class ProcessTree
{
    /// <summary>The process and all its descendants, parents before children.</summary>
    public static IReadOnlyList<int> WithDescendants(int root)
    {
        var result = new List<int> { root };
        if (!Directory.Exists("/proc")) return result;
        var children = ParentMap();
        for (int i = 0; i < result.Count; i++)
            if (children.TryGetValue(result[i], out var kids)) result.AddRange(kids.Where(k => !result.Contains(k)));
        return result;
    }

    /// <summary>parent pid → child pids, read from /proc/&lt;pid&gt;/stat.</summary>
    static Dictionary<int, List<int>> ParentMap()
    {
        var map = new Dictionary<int, List<int>>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (ReadStat(Path.Combine(dir, "stat")) is not { } stat) continue;
            if (!map.TryGetValue(stat.Parent, out var list)) map[stat.Parent] = list = new List<int>();
            list.Add(pid);
        }
        return map;
    }

    /// <summary>
    /// Whether the process is in the foreground process group of its terminal: a Ctrl+C typed there has already
    /// reached it, so sending another SIGINT would be a second one (which rlsc takes as "stop now, do not save").
    /// False where there is no /proc.
    /// </summary>
    public static bool InTerminalForeground(int pid) =>
        ReadStat($"/proc/{pid}/stat") is { } stat && stat.Terminal != 0 && stat.ForegroundGroup == stat.Group;

    /// <summary>The fields of /proc/pid/stat that matter here.</summary>
    internal sealed record Stat(int Parent, int Group, int Terminal, int ForegroundGroup);

    /// <summary>
    /// Reads /proc/pid/stat: "pid (comm) state ppid pgrp session tty_nr tpgid …". The command name may hold spaces
    /// and ')', so the fields are counted from the last ')'. Null when the process is gone or the file is odd.
    /// </summary>
    internal static Stat? ReadStat(string statFile)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(statFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process exited while we looked
        }
        int close = stat.LastIndexOf(')');
        if (close < 0) return null;
        string[] f = stat.Substring(close + 1).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // f[0] state, f[1] ppid, f[2] pgrp, f[3] session, f[4] tty_nr, f[5] tpgid (-1 without a terminal)
        if (f.Length < 6) return null;
        return int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid)
            && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out int pgrp)
            && int.TryParse(f[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int tty)
            && int.TryParse(f[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int tpgid)
            ? new Stat(ppid, pgrp, tty, tpgid) : null;
    }
}
