using System.Text.Json.Nodes;
using Rlsc.Core.IO;

namespace Rlsc.Core.Config;

/// <summary>
/// One command-line override of a configuration value: a dotted path into the JSON (`loss.alpha`,
/// `training.steps`) and the value. `--steps 5` is the override training.steps=5; `--set loss.alpha=0.2` is the
/// general form.
/// </summary>
/// <param name="Path">Dotted snake_case path, e.g. "sampling.temperature".</param>
/// <param name="Value">The JSON value to put there.</param>
/// <param name="Origin">How the user wrote it (for error messages), e.g. "--steps 5".</param>
public sealed record ConfigOverride(string Path, JsonNode? Value, string Origin)
{
    /// <summary>
    /// Parses `path=value`. The value is read as JSON when it is valid JSON (numbers, true/false, null, arrays,
    /// quoted strings), else taken as a plain string, so `loss.weighting=normalized` needs no quotes.
    /// </summary>
    public static ConfigOverride Parse(string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0)
            throw new RlscException(ErrorCodes.InvalidArgument,
                $"--set '{assignment}': expected path=value, for example --set loss.alpha=0.2.");
        string path = assignment[..equals].Trim();
        string text = assignment[(equals + 1)..];
        return new ConfigOverride(path, ParseValue(text), $"--set {assignment}");
    }

    /// <summary>A value as JSON when it parses as JSON, else as a string.</summary>
    public static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>An override from a typed flag, e.g. (--steps, "training.steps", 5).</summary>
    public static ConfigOverride From<T>(string flag, string path, T value) =>
        new(path, System.Text.Json.JsonSerializer.SerializeToNode(value, RlscJson.Edited), $"{flag} {value}");
}
