using System.Text;

namespace Rlsc.Tasks.GitHub;

/// <summary>
/// GitHub Actions workflow commands and the job summary (docs/pipeline.md, "GitHub Actions"). Active when
/// the environment says <c>GITHUB_ACTIONS=true</c>, as the runner sets it; the environment is passed in so
/// that tests use a fake one.
/// </summary>
internal sealed class GitHubActions
{
    readonly Func<string, string?> _environment;

    public GitHubActions(Func<string, string?> environment) => _environment = environment;

    /// <summary>Whether the build runs in a GitHub Actions job.</summary>
    public bool IsActive => string.Equals(_environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>::error file=F,line=L,col=C,title=T::message</c>, which the runner turns into an annotation on the file
    /// (on the pull request's diff when the file is part of it). The file is made relative to the workspace.
    /// </summary>
    public string Annotation(string level, string message, string? file = null, int line = 0, int column = 0, string? title = null)
    {
        var properties = new List<string>();
        if (!string.IsNullOrEmpty(file)) properties.Add("file=" + EscapeProperty(RelativeToWorkspace(file!)));
        if (line > 0) properties.Add("line=" + line);
        if (column > 0) properties.Add("col=" + column);
        if (!string.IsNullOrEmpty(title)) properties.Add("title=" + EscapeProperty(title!));
        string head = properties.Count == 0 ? level : level + " " + string.Join(",", properties);
        return $"::{head}::{EscapeData(message)}";
    }

    /// <summary>
    /// Appends Markdown to the job summary (the file named by GITHUB_STEP_SUMMARY); false when there is none.
    /// </summary>
    public bool AppendToStepSummary(string markdown)
    {
        string? path = _environment("GITHUB_STEP_SUMMARY");
        if (!IsActive || string.IsNullOrEmpty(path)) return false;
        // Summaries of several steps go into one page: keep each block separated by a blank line.
        File.AppendAllText(path!, markdown.TrimEnd() + "\n\n", new UTF8Encoding(false));
        return true;
    }

    /// <summary>A path relative to GITHUB_WORKSPACE (the repository checkout) when it is inside it, with '/'.</summary>
    public string RelativeToWorkspace(string file)
    {
        string? workspace = _environment("GITHUB_WORKSPACE");
        if (string.IsNullOrEmpty(workspace) || !Path.IsPathRooted(file)) return file.Replace('\\', '/');
        string relative = Path.GetRelativePath(workspace!, file);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? file : relative).Replace('\\', '/');
    }

    /// <summary>Escapes a command's message: '%', CR and LF (the runner would otherwise end the command at a newline).</summary>
    public static string EscapeData(string value) =>
        value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>Escapes a property value: as data, plus ':' and ',' which separate properties.</summary>
    public static string EscapeProperty(string value) =>
        EscapeData(value).Replace(":", "%3A").Replace(",", "%2C");
}
