using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rlsc.Core.IO;

namespace Rlsc.Core.Config;

/// <summary>
/// Reads a run configuration (JSON, snake_case, `//` comments allowed, every key optional) and applies
/// command-line overrides. Errors name the file and line (or the flag) and what was expected: an unknown key
/// lists the keys its section accepts, so a typo never silently falls back to a default.
/// </summary>
public static partial class RunConfigJson
{
    static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A key given twice is a mistake, not "the last one wins" (and the override tree cannot hold both).
        AllowDuplicateProperties = false,
    };

    /// <summary>Loads <paramref name="file"/> (null: all defaults) and applies the overrides in order.</summary>
    public static T Load<T>(string? file, IReadOnlyList<ConfigOverride> overrides) where T : class, new()
    {
        var defaults = (JsonObject)JsonSerializer.SerializeToNode(new T(), RlscJson.Edited)!;
        var tree = new JsonObject();
        if (file is not null)
        {
            if (!File.Exists(file))
                throw new RlscException(ErrorCodes.FileNotFound, "the configuration file does not exist.", file);
            byte[] bytes = File.ReadAllBytes(file);
            ConfigKeyCheck.Check(bytes, defaults, file);
            try
            {
                tree = JsonNode.Parse(bytes, documentOptions: DocumentOptions) as JsonObject
                       ?? throw new RlscException(ErrorCodes.MalformedData, "expected a JSON object { ... } at the top level.", file, 1);
                JsonSerializer.Deserialize<T>(bytes, RlscJson.Edited);
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.InvalidArgument, Describe(e), file, (int?)e.LineNumber + 1, e);
            }
            catch (Exception e) when (Rlsc.Core.IO.JsonUnicode.IsUnpairedSurrogate(e))
            {
                throw new RlscException(ErrorCodes.MalformedData, $"not valid: {Rlsc.Core.IO.JsonUnicode.Explanation}.", file, inner: e);
            }
        }

        foreach (var change in overrides)
            Apply(tree, defaults, change);

        try
        {
            return tree.Deserialize<T>(RlscJson.Edited)!;
        }
        catch (Exception e) when (Rlsc.Core.IO.JsonUnicode.IsUnpairedSurrogate(e))
        {
            throw new RlscException(ErrorCodes.InvalidArgument, $"an override is not valid: {Rlsc.Core.IO.JsonUnicode.Explanation}.", inner: e);
        }
        catch (JsonException e)
        {
            // Only an override can fail here: the file alone deserialised above.
            string path = e.Path ?? "$";
            var culprit = overrides.LastOrDefault(o => path == "$." + o.Path || path.StartsWith("$." + o.Path + ".", StringComparison.Ordinal));
            throw new RlscException(ErrorCodes.InvalidArgument, $"{culprit?.Origin ?? "an override"}: {Describe(e)}", inner: e);
        }
    }

    /// <summary>The configuration as JSON, every option written out (the effective configuration of a run).</summary>
    public static string ToJson<T>(T config) => JsonSerializer.Serialize(config, RlscJson.Edited) + "\n";

    /// <summary>Parses a configuration written by <see cref="ToJson{T}"/> (a run's saved config.json).</summary>
    public static T Read<T>(string file) where T : class, new() => Load<T>(file, []);

    static void Apply(JsonObject tree, JsonObject defaults, ConfigOverride change)
    {
        string[] segments = change.Path.Split('.');
        JsonObject? known = defaults;
        JsonObject target = tree;
        for (int i = 0; i < segments.Length; i++)
        {
            string key = segments[i];
            string here = string.Join('.', segments[..i]);
            if (known is null || !known.ContainsKey(key))
                throw new RlscException(ErrorCodes.InvalidArgument,
                    $"{change.Origin}: unknown option '{change.Path}'; {(here.Length == 0 ? "the top level" : here)} has: " +
                    (known is null ? "no options (it is a value)" : string.Join(", ", known.Select(p => p.Key))) + ".");
            if (i == segments.Length - 1)
            {
                if (change.Value is null && ConfigKeyCheck.NullRefused(known[key]) is { } what)
                    throw new RlscException(ErrorCodes.InvalidArgument,
                        $"{change.Origin}: option '{change.Path}' cannot be null; expected {what} (leave it out to keep its defaults).");
                target[key] = change.Value?.DeepClone();
                return;
            }
            known = known[key] as JsonObject;
            if (target[key] is not JsonObject child)
            {
                child = new JsonObject();
                target[key] = child;
            }
            target = child;
        }
    }

    /// <summary>A JsonException as one sentence: the option's path and what was expected.</summary>
    static string Describe(JsonException e)
    {
        string path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
        string message = PathSuffix().Replace(e.Message, "");
        message = ConvertedTo().Replace(message, m => "expected " + Expected(m.Groups[1].Value) + ".");
        return path.Length == 0 ? message : $"{path}: {message}";
    }

    static string Expected(string clrType) => clrType switch
    {
        _ when clrType.StartsWith("System.Int", StringComparison.Ordinal) => "a whole number",
        _ when clrType.StartsWith("System.Nullable`1[System.Int", StringComparison.Ordinal) => "a whole number or null",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.String" => "a string",
        _ when clrType.Contains("List`1", StringComparison.Ordinal) => "a list [ ... ]",
        _ => "an object { ... } (" + clrType[(clrType.LastIndexOf('.') + 1)..] + ")",
    };

    [GeneratedRegex(@"\s*Path: .*$", RegexOptions.Singleline)]
    private static partial Regex PathSuffix();

    [GeneratedRegex(@"The JSON value could not be converted to ([^\s]+?)\.(\s|$)")]
    private static partial Regex ConvertedTo();
}
