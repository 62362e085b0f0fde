using System.Globalization;
using System.Text.RegularExpressions;

namespace Rlsc.Tasks.Output;

/// <summary>
/// Classifies rlsc's output lines with a table of patterns, tried in order. rlsc prints errors in MSBuild's
/// canonical form (docs/architecture.md, "Errors"), so they become build errors with their code, file and line.
/// </summary>
internal static class ToolOutputParser
{
    /// <summary>The origin rlsc prints when an error concerns no file.</summary>
    const string ToolOrigin = "rlsc";

    static readonly Regex[] Canonical =
    {
        // configs/run.json(12): error RLSC003: expected a number for "learning_rate"
        // eval-suites/thresholds.json(4,17): warning RLSC081: ...
        new(@"^(?<file>\S.*?)\((?<line>\d+)(?:,(?<column>\d+))?\)\s*:\s*(?<kind>error|warning)\s+(?<code>RLSC\d{3})\s*:\s*(?<message>.*)$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant),
        // rlsc: error RLSC002: the model folder 'models/x' does not exist
        // runs/a/summary.json: error RLSC003: the file is empty
        new(@"^(?<file>\S.*?)\s*:\s*(?<kind>error|warning)\s+(?<code>RLSC\d{3})\s*:\s*(?<message>.*)$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant),
    };

    static readonly Regex[] ProgressPatterns =
    {
        // [finetune] step 3/10: sampling      [finetune] step 3/10 done      (rlsc finetune --progress plain)
        // eval: gsm8k generate 12/500 (20%)                                   (rlsc eval, output redirected)
        new(@"^\s*(\[[\w\-]+\]|[A-Za-z][\w\-]*:)\s+(\S+\s+){0,3}\d+\s*/\s*\d+(\s|:|$)", RegexOptions.Compiled | RegexOptions.CultureInvariant),
        // step 3/10 loss=0.4182 lr=1.0e-05 (11.2 s/step)      train 3/10 …      math500 120/500
        new(@"^\s*[A-Za-z][\w./\-]*:?\s+\d+\s*/\s*\d+(\s|$)", RegexOptions.Compiled | RegexOptions.CultureInvariant),
        // [3/10] sampling      3/10 steps
        new(@"^\s*\[?\s*\d+\s*/\s*\d+\s*\]?(\s|$)", RegexOptions.Compiled | RegexOptions.CultureInvariant),
        // 45% ███████      progress: 45%
        new(@"^\s*(progress:\s*)?\d{1,3}(\.\d+)?\s*%", RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase),
    };

    public static ToolOutputLine Parse(string line)
    {
        foreach (var pattern in Canonical)
        {
            var m = pattern.Match(line);
            if (!m.Success) continue;
            string? file = m.Groups["file"].Value;
            if (file == ToolOrigin) file = null;
            return new ToolOutputLine(
                m.Groups["kind"].Value == "error" ? ToolOutputKind.Error : ToolOutputKind.Warning,
                m.Groups["message"].Value.Trim(),
                m.Groups["code"].Value,
                file,
                ParseNumber(m.Groups["line"]),
                ParseNumber(m.Groups["column"]));
        }
        foreach (var pattern in ProgressPatterns)
            if (pattern.IsMatch(line)) return new ToolOutputLine(ToolOutputKind.Progress, line);
        return new ToolOutputLine(ToolOutputKind.Message, line);
    }

    static int ParseNumber(Group group) =>
        group.Success && int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
}
