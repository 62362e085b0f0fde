using System.Text;
using System.Text.Json;

namespace Rlsc.Core.Gate;

/// <summary>
/// The 1-based line of every property in a JSON file, keyed by its dotted path ("suites.math500.accuracy"),
/// so that errors about a field can say `file(line)` the way MSBuild and GitHub annotations read them.
/// JsonDocument keeps no positions; one extra pass of Utf8JsonReader over the bytes does.
/// </summary>
public sealed class JsonLineMap
{
    readonly Dictionary<string, int> _lines;

    JsonLineMap(Dictionary<string, int> lines) => _lines = lines;

    /// <summary>The line of the property at <paramref name="path"/>, or of the nearest enclosing one that is known.</summary>
    public int? LineOf(string path)
    {
        for (string? p = path; !string.IsNullOrEmpty(p); p = Parent(p))
            if (_lines.TryGetValue(p, out int line)) return line;
        return null;
    }

    static string? Parent(string path)
    {
        int dot = path.LastIndexOf('.');
        return dot < 0 ? null : path[..dot];
    }

    /// <summary>Maps a well-formed document; call it after JsonDocument.Parse succeeded on the same bytes.</summary>
    public static JsonLineMap Build(byte[] utf8, bool allowComments)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = allowComments ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
        });
        // The path of the containers we are in; arrays contribute their index as a segment.
        var stack = new List<string>();
        var arrayIndex = new Stack<int>();
        string? pendingProperty = null;
        int line = 1;
        long counted = 0;

        while (reader.Read())
        {
            // Count newlines between the previous token and this one: O(file size) in total.
            long start = reader.TokenStartIndex;
            for (; counted < start; counted++)
                if (utf8[counted] == (byte)'\n') line++;

            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingProperty = reader.GetString() ?? "";
                    lines.TryAdd(Join(stack, pendingProperty), line);
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    stack.Add(NextSegment(ref pendingProperty, arrayIndex));
                    if (reader.TokenType == JsonTokenType.StartArray) arrayIndex.Push(0);
                    else arrayIndex.Push(-1);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    arrayIndex.Pop();
                    stack.RemoveAt(stack.Count - 1);
                    break;
                default:
                    string segment = NextSegment(ref pendingProperty, arrayIndex);
                    if (segment.Length > 0 && char.IsDigit(segment[0])) lines.TryAdd(Join(stack, segment), line);
                    break;
            }
        }
        return new JsonLineMap(lines);
    }

    // The segment a value occupies: its property name in an object, its index in an array, "" at the root.
    static string NextSegment(ref string? pendingProperty, Stack<int> arrayIndex)
    {
        if (pendingProperty is not null)
        {
            string name = pendingProperty;
            pendingProperty = null;
            return name;
        }
        if (arrayIndex.Count > 0 && arrayIndex.Peek() >= 0)
        {
            int index = arrayIndex.Pop();
            arrayIndex.Push(index + 1);
            return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return "";
    }

    static string Join(List<string> stack, string last)
    {
        var sb = new StringBuilder();
        foreach (string s in stack)
        {
            if (s.Length == 0) continue;
            sb.Append(s).Append('.');
        }
        return sb.Append(last).ToString();
    }
}
