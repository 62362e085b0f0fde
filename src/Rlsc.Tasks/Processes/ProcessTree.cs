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
            int? parent = ReadParent(Path.Combine(dir, "stat"));
            if (parent is null) continue;
            if (!map.TryGetValue(parent.Value, out var list)) map[parent.Value] = list = new List<int>();
            list.Add(pid);
        }
        return map;
    }

    /// <summary>The 4th field of /proc/pid/stat; the 2nd (the command name in parentheses) may hold spaces and ')'.</summary>
    internal static int? ReadParent(string statFile)
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
        string[] fields = stat.Substring(close + 1).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is the state, fields[1] the parent pid.
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) ? ppid : null;
    }
}
