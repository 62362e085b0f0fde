using System.Text.Json;

namespace Rlsc.Core.Gate;

/// <summary>
/// Refuses JSON whose objects repeat a property name. System.Text.Json keeps the last duplicate silently, so
/// `"accuracy": 0.10, "accuracy": 0.84` (or a failing suite object followed by a passing one of the same name)
/// would reach the gate as the passing value: the gate must never pick one of two answers it was given.
/// One pass of Utf8JsonReader over a document that JsonDocument has already accepted.
/// </summary>
public static class DuplicateKeyCheck
{
    /// <param name="code">The error code to throw (the summary's RLSC084, the thresholds' RLSC087).</param>
    public static void Check(byte[] utf8, string file, string code, bool allowComments)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = allowComments ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
        });
        // One set of names (with their lines) per open object; null for arrays.
        var open = new Stack<Dictionary<string, int>?>();
        var path = new Stack<string>();
        string? lastName = null;
        int line = 1;
        long counted = 0;
        while (reader.Read())
        {
            for (; counted < reader.TokenStartIndex; counted++)
                if (utf8[counted] == (byte)'\n') line++;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    open.Push(new Dictionary<string, int>(StringComparer.Ordinal));
                    path.Push(lastName ?? "");
                    lastName = null;
                    break;
                case JsonTokenType.StartArray:
                    open.Push(null);
                    path.Push(lastName ?? "");
                    lastName = null;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    open.Pop();
                    path.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    string name = reader.GetString() ?? "";
                    if (open.Peek() is { } names)
                    {
                        if (names.TryGetValue(name, out int first))
                        {
                            string where = string.Join(".", path.Reverse().Where(p => p.Length > 0).Append(name));
                            throw new RlscException(code,
                                $"field `{where}` appears twice (lines {first} and {line}): a JSON object with duplicate keys is ambiguous, " +
                                "and a reader would silently keep one of them; write each field once.",
                                file, line);
                        }
                        names[name] = line;
                    }
                    lastName = name;
                    break;
                default:
                    lastName = null;
                    break;
            }
        }
    }
}
