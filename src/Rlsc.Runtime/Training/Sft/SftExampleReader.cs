using System.Text;
using System.Text.Json;
using Rlsc.Core;

namespace Rlsc.Runtime.Training.Sft;

/// <summary>Reads prompt/completion pairs from a JSONL file; other fields are skipped.</summary>
public static class SftExampleReader
{
    public static IReadOnlyList<SftExample> Read(string file, string promptField, string completionField)
    {
        if (!File.Exists(file))
            throw new RlscException(ErrorCodes.FileNotFound, "the SFT data file does not exist.", file);
        var examples = new List<SftExample>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? prompt = null, completion = null;
            try
            {
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    throw new RlscException(ErrorCodes.MalformedData, "expected a JSON object per line.", file, lineNumber);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    reader.Read();
                    if (name == promptField && reader.TokenType == JsonTokenType.String) prompt = reader.GetString();
                    else if (name == completionField && reader.TokenType == JsonTokenType.String) completion = reader.GetString();
                    else reader.Skip();
                }
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.MalformedData, "not valid JSON: " + e.Message, file, lineNumber, e);
            }
            if (prompt is null)
                throw new RlscException(ErrorCodes.MalformedData, $"no string field '{promptField}' (set data.prompt_field).", file, lineNumber);
            if (string.IsNullOrEmpty(completion))
                throw new RlscException(ErrorCodes.MalformedData, $"no non-empty string field '{completionField}' (set data.completion_field).", file, lineNumber);
            examples.Add(new SftExample(examples.Count, lineNumber, prompt, completion));
        }
        if (examples.Count == 0)
            throw new RlscException(ErrorCodes.MalformedData, "the file has no examples (no non-empty lines).", file);
        return examples;
    }
}
