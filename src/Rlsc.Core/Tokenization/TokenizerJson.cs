using System.Text.Json;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// The pipeline that tokenizer.json describes: added tokens, normalizer, pre-tokenizer, BPE model, post-processor,
/// decoder. Only byte-level BPE is implemented; anything else is a clear <see cref="ErrorCodes.TokenizerUnsupported"/>.
/// </summary>
sealed class TokenizerJson
{
    public const string FileName = "tokenizer.json";

    public required IReadOnlyList<AddedToken> AddedTokens { get; init; }
    public required Normalizer? Normalizer { get; init; }
    public required PreTokenizer PreTokenizer { get; init; }
    public required BytePairEncoding Model { get; init; }
    public required Dictionary<string, int> Vocab { get; init; }
    public required PostProcessor? PostProcessor { get; init; }
    public required bool HasDecoder { get; init; }

    public static TokenizerJson Load(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw TokenizerErrors.Malformed(path, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw TokenizerErrors.Invalid(path, "(root)", "a JSON object");
            var model = TokenizerErrors.RequiredObject(root, "model", path, "(root)");
            string modelType = TokenizerErrors.OptionalString(model, "type", path, "model") ?? "BPE";
            if (modelType != "BPE") throw TokenizerErrors.Unsupported(path, "model.type", modelType, "BPE");
            RejectUnsupportedBpeOptions(model, path);

            var vocab = ReadVocab(model, path);
            var merges = ReadMerges(model, path);
            var preTokenizer = root.TryGetProperty("pre_tokenizer", out var pre) ? PreTokenizer.FromJson(pre, path) : null;
            if (preTokenizer is null || !preTokenizer.IsByteLevel)
                throw TokenizerErrors.Unsupported(path, "pre_tokenizer", preTokenizer is null ? "null" : "without ByteLevel", "a ByteLevel pre-tokenizer, alone or in a Sequence");
            bool hasDecoder = false;
            if (root.TryGetProperty("decoder", out var decoder) && decoder.ValueKind != JsonValueKind.Null)
            {
                string decoderType = TokenizerErrors.RequiredType(decoder, path, "decoder");
                if (decoderType != "ByteLevel") throw TokenizerErrors.Unsupported(path, "decoder.type", decoderType, "ByteLevel");
                hasDecoder = true;
            }

            return new TokenizerJson
            {
                AddedTokens = ReadAddedTokens(root, path),
                Normalizer = root.TryGetProperty("normalizer", out var normalizer) ? Normalizer.FromJson(normalizer, path) : null,
                PreTokenizer = preTokenizer,
                Vocab = vocab,
                Model = new BytePairEncoding(vocab, merges, TokenizerErrors.OptionalBool(model, "ignore_merges", false, path, "model"), path),
                PostProcessor = root.TryGetProperty("post_processor", out var post) ? PostProcessor.FromJson(post, path) : null,
                HasDecoder = hasDecoder,
            };
        }
    }

    static void RejectUnsupportedBpeOptions(JsonElement model, string path)
    {
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
            throw TokenizerErrors.Unsupported(path, "model.dropout", dropout.GetRawText(), "null (BPE dropout is for training tokenizers, not for encoding)");
        foreach (string name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (TokenizerErrors.OptionalString(model, name, path, "model") is { Length: > 0 } affix)
                throw TokenizerErrors.Unsupported(path, $"model.{name}", affix, "an empty string or null");
    }

    static Dictionary<string, int> ReadVocab(JsonElement model, string path)
    {
        var vocabElement = TokenizerErrors.RequiredObject(model, "vocab", path, "model");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            if (!entry.Value.TryGetInt32(out int id) || id < 0)
                throw TokenizerErrors.Invalid(path, $"model.vocab[\"{entry.Name}\"]", "a non-negative integer id");
            vocab[entry.Name] = id;
        }
        return vocab;
    }

    // Merges are "left right" strings (older files, Qwen2.5) or ["left", "right"] pairs (tokenizers >= 0.20).
    static List<(string, string)> ReadMerges(JsonElement model, string path)
    {
        if (!model.TryGetProperty("merges", out var mergesElement) || mergesElement.ValueKind != JsonValueKind.Array)
            throw TokenizerErrors.Invalid(path, "model.merges", "an array");
        var merges = new List<(string, string)>(mergesElement.GetArrayLength());
        int i = 0;
        foreach (var merge in mergesElement.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.String)
            {
                string text = merge.GetString()!;
                int space = text.IndexOf(' ', 1);
                if (space < 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
                    throw TokenizerErrors.Invalid(path, $"model.merges[{i}]", $"\"left right\" (two tokens separated by one space), got \"{text}\"");
                merges.Add((text[..space], text[(space + 1)..]));
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                     && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                merges.Add((merge[0].GetString()!, merge[1].GetString()!));
            }
            else
            {
                throw TokenizerErrors.Invalid(path, $"model.merges[{i}]", "\"left right\" or [\"left\", \"right\"]");
            }
            i++;
        }
        return merges;
    }

    static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var tokens = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var array) || array.ValueKind == JsonValueKind.Null) return tokens;
        if (array.ValueKind != JsonValueKind.Array) throw TokenizerErrors.Invalid(path, "added_tokens", "an array");
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            string where = $"added_tokens[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw TokenizerErrors.Invalid(path, where, "an object");
            if (!item.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out int id) || id < 0)
                throw TokenizerErrors.Invalid(path, $"{where}.id", "a non-negative integer");
            string content = TokenizerErrors.OptionalString(item, "content", path, where) is { Length: > 0 } c ? c
                : throw TokenizerErrors.Invalid(path, $"{where}.content", "the token's text (non-empty)");
            tokens.Add(new AddedToken(id, content,
                Special: TokenizerErrors.OptionalBool(item, "special", false, path, where),
                SingleWord: TokenizerErrors.OptionalBool(item, "single_word", false, path, where),
                LStrip: TokenizerErrors.OptionalBool(item, "lstrip", false, path, where),
                RStrip: TokenizerErrors.OptionalBool(item, "rstrip", false, path, where),
                Normalized: TokenizerErrors.OptionalBool(item, "normalized", false, path, where)));
        }
        return tokens;
    }
}
