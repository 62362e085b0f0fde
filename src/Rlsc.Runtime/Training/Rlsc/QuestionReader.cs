using System.Text;
using System.Text.Json;
using Rlsc.Core;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// Reads the questions of a JSONL file and nothing else: a streaming JSON reader visits each line's fields and
/// skips every value except the question text and an id, without decoding them. Gold answers and solutions are
/// never turned into strings, so a training run cannot depend on them (a test poisons them to prove it).
/// </summary>
public static class QuestionReader
{
    /// <summary>Fields tried, in order, when data.question_field is not set.</summary>
    public static readonly IReadOnlyList<string> DefaultQuestionFields = ["question", "problem"];

    static readonly string[] DefaultIdFields = ["id", "unique_id", "idx"];

    /// <param name="file">The JSONL file.</param>
    /// <param name="questionField">The question's field, or null for <see cref="DefaultQuestionFields"/>.</param>
    /// <param name="limit">Keep only the first N questions (null: all).</param>
    /// <param name="idField">The id's field (null: the first of "id", "unique_id", "idx").</param>
    public static IReadOnlyList<TrainingQuestion> Read(string file, string? questionField, int? limit = null, string? idField = null)
    {
        if (!File.Exists(file))
            throw new RlscException(ErrorCodes.FileNotFound, "the questions file does not exist.", file);
        IReadOnlyList<string> wanted = questionField is null ? DefaultQuestionFields : [questionField];
        IReadOnlyList<string> ids = idField is null ? DefaultIdFields : [idField];
        var questions = new List<TrainingQuestion>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (limit is int max && questions.Count >= max) break;
            questions.Add(ReadLine(Encoding.UTF8.GetBytes(line), questions.Count, wanted, ids, file, lineNumber));
        }
        if (questions.Count == 0)
            throw new RlscException(ErrorCodes.MalformedData, "the file has no questions (no non-empty lines).", file);
        return questions;
    }

    static TrainingQuestion ReadLine(byte[] utf8, int index, IReadOnlyList<string> wanted, IReadOnlyList<string> idFields, string file, int line)
    {
        var found = new string?[wanted.Count];
        string? id = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new RlscException(ErrorCodes.MalformedData, "expected a JSON object per line.", file, line);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                int slot = IndexOf(wanted, name);
                if (slot >= 0 && reader.TokenType == JsonTokenType.String)
                    found[slot] = reader.GetString();
                else if (id is null && idFields.Contains(name) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan);
                else
                    reader.Skip();   // answers, solutions and anything else: skipped without decoding
            }
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.MalformedData, "not valid JSON: " + e.Message, file, line, e);
        }
        string? text = found.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
        if (text is null)
            throw new RlscException(ErrorCodes.MalformedData,
                $"no non-empty string field {string.Join(" or ", wanted.Select(w => $"'{w}'"))}; set data.question_field to the field that holds the question.",
                file, line);
        return new TrainingQuestion(index, id, text);
    }

    static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }
}
