using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.Tokenization;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc tokenize --tokenizer DIR (--text T | --input F.jsonl) [--no-special]`: one JSON line per text,
/// {"ids":[...],"tokens":[...]} (tokens in the vocabulary's byte-level form, "Ġworld"). Input lines carry "text".
/// </summary>
public static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizerOption = new Option<string>("--tokenizer") { Description = "Folder with tokenizer.json (and tokenizer_config.json): a model folder or a tokenizer folder.", Required = true };
        var textOption = new Option<string?>("--text") { Description = "The text to tokenize." };
        var inputOption = new Option<FileInfo?>("--input") { Description = "A JSONL file whose lines are objects with a \"text\" string; one output line per input line." };
        var noSpecialOption = new Option<bool>("--no-special") { Description = "Do not add the special tokens of the tokenizer's post-processor (none for Qwen2.5). Special tokens written in the text are always recognised." };
        var command = new Command("tokenize", "Encode text with a Hugging Face tokenizer and print the ids and tokens as JSON lines.")
        {
            tokenizerOption, textOption, inputOption, noSpecialOption,
        };
        CommandAction.Set(command, parse =>
        {
            string? text = parse.GetValue(textOption);
            FileInfo? input = parse.GetValue(inputOption);
            if ((text is null) == (input is null))
                throw new RlscException(ErrorCodes.InvalidArgument, "give exactly one of --text and --input.");
            using var tokenizer = HfTokenizer.Load(parse.GetValue(tokenizerOption)!);
            var output = parse.InvocationConfiguration.Output;
            bool addSpecial = !parse.GetValue(noSpecialOption);
            IEnumerable<string> texts = text is not null ? [text] : ReadTexts(input!.FullName);
            foreach (string t in texts) output.WriteLine(ToJsonLine(tokenizer, tokenizer.Encode(t, addSpecial)));
            return 0;
        });
        return command;
    }

    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>{"ids":[...],"tokens":[...]}</summary>
    internal static string ToJsonLine(HfTokenizer tokenizer, int[] ids)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("ids");
            foreach (int id in ids) writer.WriteNumberValue(id);
            writer.WriteEndArray();
            writer.WriteStartArray("tokens");
            foreach (int id in ids) writer.WriteStringValue(tokenizer.IdToToken(id));
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The "text" of each non-blank line; a line that is not an object with a "text" string is an error naming file and line.</summary>
    internal static IEnumerable<string> ReadTexts(string path)
    {
        if (!File.Exists(path)) throw new RlscException(ErrorCodes.FileNotFound, "the input file does not exist.", path);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? text;
            try
            {
                using var document = JsonDocument.Parse(line);
                text = document.RootElement.ValueKind == JsonValueKind.Object
                       && document.RootElement.TryGetProperty("text", out var value)
                       && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.MalformedData, $"not valid JSON ({e.Message}); each line must be an object like {{\"text\": \"...\"}}.", path, lineNumber);
            }
            yield return text ?? throw new RlscException(ErrorCodes.MalformedData, "expected an object with a \"text\" string, like {\"text\": \"...\"}.", path, lineNumber);
        }
    }
}
