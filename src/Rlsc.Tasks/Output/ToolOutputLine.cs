namespace Rlsc.Tasks.Output;

/// <summary>What one line of rlsc's output means to the build log.</summary>
internal enum ToolOutputKind
{
    /// <summary>Any other line: logged at normal importance.</summary>
    Message,
    /// <summary>A progress line (step counters, percentages): logged at low importance.</summary>
    Progress,
    /// <summary>A canonical <c>warning RLSCnnn</c> line: an MSBuild warning.</summary>
    Warning,
    /// <summary>A canonical <c>error RLSCnnn</c> line: an MSBuild error.</summary>
    Error,
}

/// <summary>One classified line of tool output.</summary>
/// <param name="Kind">How to log it.</param>
/// <param name="Text">The message (for errors and warnings: without origin and code).</param>
/// <param name="Code">RLSCnnn, for errors and warnings.</param>
/// <param name="File">The file the error concerns, when the tool named one.</param>
/// <param name="Line">Its 1-based line, when the tool named one.</param>
/// <param name="Column">Its 1-based column, when the tool named one.</param>
internal sealed record ToolOutputLine(ToolOutputKind Kind, string Text, string? Code = null, string? File = null, int Line = 0, int Column = 0);
