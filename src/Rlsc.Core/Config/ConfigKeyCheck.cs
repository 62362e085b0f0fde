using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlsc.Core.Config;

/// <summary>
/// Walks a configuration file's keys against the tree of defaults and reports the first unknown key with its
/// line and the keys its section accepts (the serializer's own message names neither).
/// </summary>
static class ConfigKeyCheck
{
    public static void Check(byte[] json, JsonObject defaults, string file)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // One entry per open object: the defaults of that section (null when unknown or a plain value).
        var sections = new Stack<(JsonObject? Known, string Path)>();
        // The keys seen so far in each open object: a key given twice is refused with its line, not "the last one wins".
        var seen = new Stack<HashSet<string>>();
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        seen.Push(new HashSet<string>(StringComparer.Ordinal));
                        if (sections.Count == 0) sections.Push((defaults, ""));
                        else
                        {
                            var (parent, parentPath) = sections.Peek();
                            string path = Join(parentPath, pendingKey ?? "[]");
                            sections.Push((pendingKey is null ? null : parent?[pendingKey] as JsonObject, path));
                        }
                        pendingKey = null;
                        break;
                    case JsonTokenType.EndObject:
                        sections.Pop();
                        seen.Pop();
                        break;
                    case JsonTokenType.StartArray:
                        // Lists are values: their items are not options.
                        reader.Skip();
                        pendingKey = null;
                        break;
                    case JsonTokenType.PropertyName:
                        string key = reader.GetString()!;
                        var (known, here) = sections.Peek();
                        if (known is not null && !known.ContainsKey(key))
                            throw new RlscException(ErrorCodes.InvalidArgument,
                                $"unknown option '{Join(here, key)}'; {(here.Length == 0 ? "the top level" : here)} has: {string.Join(", ", known.Select(p => p.Key))}.",
                                file, LineOf(json, reader.TokenStartIndex));
                        if (!seen.Peek().Add(key))
                            throw new RlscException(ErrorCodes.InvalidArgument,
                                $"option '{Join(here, key)}' is given twice; keep one.", file, LineOf(json, reader.TokenStartIndex));
                        pendingKey = key;
                        break;
                    case JsonTokenType.Null:
                        // A section or list set to null would reach the trainer as a null reference.
                        if (pendingKey is not null && sections.Peek().Known?[pendingKey] is { } expected && NullRefused(expected) is { } what)
                            throw new RlscException(ErrorCodes.InvalidArgument,
                                $"option '{Join(sections.Peek().Path, pendingKey)}' is null; expected {what} (leave the key out to keep its defaults).",
                                file, LineOf(json, reader.TokenStartIndex));
                        pendingKey = null;
                        break;
                    default:
                        pendingKey = null;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.MalformedData, "not valid JSON: " + e.Message, file, (int?)e.LineNumber + 1, e);
        }
        catch (Exception e) when (Rlsc.Core.IO.JsonUnicode.IsUnpairedSurrogate(e))
        {
            throw new RlscException(ErrorCodes.MalformedData, $"not valid: {Rlsc.Core.IO.JsonUnicode.Explanation}.", file, LineOf(json, reader.TokenStartIndex), e);
        }
    }

    /// <summary>
    /// What a key whose default is <paramref name="defaultValue"/> must hold instead of null, or null when null is
    /// accepted: sections (objects) and lists are never optional, plain values may be.
    /// </summary>
    public static string? NullRefused(JsonNode? defaultValue) => defaultValue switch
    {
        JsonObject => "an object { ... }",
        JsonArray => "a list [ ... ]",
        _ => null,
    };

    static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    static int LineOf(byte[] json, long index)
    {
        int line = 1;
        for (long i = 0; i < index && i < json.Length; i++)
            if (json[i] == (byte)'\n') line++;
        return line;
    }
}
