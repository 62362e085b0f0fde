using System.Text;
using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Demo.Tokenizer;

/// <summary>
/// The embedded default's tokenizer: byte-level BPE with Qwen2's pre-tokenizer and chat special tokens, and merges
/// learned from the warm-up split rendered through the prompt template, so the tiny model reads whole words of its
/// stories and the system prompt while every digit stays a token of its own.
/// </summary>
public static class DemoTokenizer
{
    /// <summary>Qwen2.5's special tokens: the chat template's markers and the end of text (the pad token).</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <summary>Merges learned by default: enough for every frequent word of the stories and the system prompt.</summary>
    public const int DefaultMerges = 384;

    /// <summary>Learns merges from the prompt and completion of each line of <paramref name="warmupFile"/> and writes the tokenizer into <paramref name="directory"/>.</summary>
    public static void Write(string warmupFile, string directory, int merges = DefaultMerges, string promptTemplate = ChatTemplates.QwenMathCot)
    {
        var texts = ReadTexts(warmupFile, promptTemplate).ToList();
        var learned = BpeMergeLearner.Learn(texts, merges, SpecialTokens);
        TokenizerBuilder.WriteByteLevel(directory, SpecialTokens, learned);
    }

    static IEnumerable<string> ReadTexts(string file, string promptTemplate)
    {
        if (!File.Exists(file))
            throw new RlscException(ErrorCodes.FileNotFound, "the warm-up file does not exist; write it with `rlsc demo make-task`.", file);
        int line = 0;
        foreach (string text in File.ReadLines(file, Encoding.UTF8))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            string? prompt, completion;
            try
            {
                using var doc = JsonDocument.Parse(text);
                prompt = doc.RootElement.TryGetProperty("prompt", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                completion = doc.RootElement.TryGetProperty("completion", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.MalformedData, "not valid JSON: " + e.Message, file, line, e);
            }
            if (prompt is null || completion is null)
                throw new RlscException(ErrorCodes.MalformedData, "expected string fields \"prompt\" and \"completion\".", file, line);
            yield return ChatTemplates.Render(promptTemplate, prompt) + completion + "<|im_end|>";
        }
    }
}
