using Microsoft.Build.Framework;
using Rlsc.Core;

namespace Rlsc.Tasks.Validation;

/// <summary>
/// Collects every problem with a task's parameters, so that the user sees them all at once instead of one
/// per build. Each problem says which parameter, what it was, and what is expected.
/// </summary>
internal sealed class ParameterCheck
{
    readonly List<(string Code, string Message)> _problems = new();

    public IReadOnlyList<(string Code, string Message)> Problems => _problems;

    public void Fail(string code, string message) => _problems.Add((code, message));

    /// <summary>The value is set (a [Required] parameter can still be given an empty item).</summary>
    public void Required(string parameter, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            Fail(ErrorCodes.InvalidParameter, $"{parameter} is empty; set it to {what}.");
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>, when given.</summary>
    public void AtLeast(string parameter, int? value, int minimum, string what)
    {
        if (value is int v && v < minimum)
            Fail(ErrorCodes.InvalidParameter, $"{parameter} is {v}; expected {what} (at least {minimum}), or leave it empty for rlsc's default.");
    }

    /// <summary>A number in [min, max], when given.</summary>
    public void InRange(string parameter, double? value, double min, double max, string what)
    {
        if (value is double v && (double.IsNaN(v) || v < min || v > max))
            Fail(ErrorCodes.InvalidParameter, $"{parameter} is {v}; expected {what} between {min} and {max}, or leave it empty for rlsc's default.");
    }

    /// <summary>One of the allowed words (case-insensitive), when given.</summary>
    public void OneOf(string parameter, string? value, params string[] allowed)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (!allowed.Contains(value!, StringComparer.OrdinalIgnoreCase))
            Fail(ErrorCodes.InvalidParameter, $"{parameter} is '{value}'; expected one of: {string.Join(", ", allowed)}.");
    }

    /// <summary>The item names an existing file.</summary>
    public void FileExists(string parameter, ITaskItem? item, string what)
    {
        if (item is null || string.IsNullOrWhiteSpace(item.ItemSpec)) return;
        string full = item.GetMetadata("FullPath");
        if (!File.Exists(full))
            Fail(ErrorCodes.InputNotFound, $"{parameter} names '{item.ItemSpec}' ({full}), which does not exist; expected {what}.");
    }

    /// <summary>A list of names: none empty, none holding a comma (rlsc takes them comma-separated).</summary>
    public void Names(string parameter, IEnumerable<string> names, string what)
    {
        foreach (string name in names)
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
                Fail(ErrorCodes.InvalidParameter, $"{parameter} holds '{name}'; expected {what} (names are separated by ';' or ',', with none empty).");
    }
}
