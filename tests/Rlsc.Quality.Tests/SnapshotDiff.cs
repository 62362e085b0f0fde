using System.Text;

namespace Rlsc.Quality.Tests;

/// <summary>
/// A line diff of two snapshots (longest common subsequence; snapshots are a few dozen lines), printed like
/// a unified diff with a few lines of context, so that a failing gate shows what changed at a glance.
/// </summary>
static class SnapshotDiff
{
    public static string Unified(string expected, string actual, string expectedLabel, string actualLabel, int context = 2)
    {
        string[] a = SplitLines(expected), b = SplitLines(actual);
        var ops = Diff(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").AppendLine(expectedLabel);
        sb.Append("+++ ").AppendLine(actualLabel);

        // Print changed lines with `context` unchanged lines around them; elide the rest.
        var keep = new bool[ops.Count];
        for (int i = 0; i < ops.Count; i++)
            if (ops[i].Kind != ' ')
                for (int j = Math.Max(0, i - context); j <= Math.Min(ops.Count - 1, i + context); j++) keep[j] = true;
        bool elided = false;
        for (int i = 0; i < ops.Count; i++)
        {
            if (!keep[i])
            {
                if (!elided) sb.AppendLine("  ...");
                elided = true;
                continue;
            }
            elided = false;
            sb.Append(ops[i].Kind).Append(' ').AppendLine(ops[i].Line);
        }
        return sb.ToString();
    }

    static string[] SplitLines(string text) => text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    static List<(char Kind, string Line)> Diff(string[] a, string[] b)
    {
        // lcs[i, j] = length of the LCS of a[i..] and b[j..]
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var ops = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { ops.Add((' ', a[x])); x++; y++; }
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) ops.Add(('-', a[x++]));
            else ops.Add(('+', b[y++]));
        }
        while (x < a.Length) ops.Add(('-', a[x++]));
        while (y < b.Length) ops.Add(('+', b[y++]));
        return ops;
    }
}
