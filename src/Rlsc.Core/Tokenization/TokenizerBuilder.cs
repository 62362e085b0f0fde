using System.Text;
using System.Text.Json;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// Writes small byte-level BPE tokenizers for test and demo models: a tokenizer.json and tokenizer_config.json that
/// transformers loads (Qwen2Tokenizer class, Qwen2's normalizer, pre-tokenizer and decoder), so a model made with
/// them is a complete Hugging Face checkpoint.
/// </summary>
public static class TokenizerBuilder
{
    /// <summary>
    /// Writes tokenizer.json and tokenizer_config.json into <paramref name="directory"/> (created if needed; each file
    /// written under a temporary name, then renamed). Ids: 0-255 the byte-level alphabet in byte order, then one per
    /// merge, then <paramref name="specialTokens"/> in order as special added tokens.
    /// </summary>
    /// <param name="specialTokens">E.g. &lt;|endoftext|&gt;, &lt;|im_start|&gt;, &lt;|im_end|&gt;. eos_token becomes &lt;|im_end|&gt; (else
    /// &lt;|endoftext|&gt;, else the first one), pad_token &lt;|endoftext|&gt; when present.</param>
    /// <param name="merges">BPE merges in rank order, each part in byte-level form as in tokenizer.json ("Ġ" for a
    /// space; printable ASCII is itself), each part already in the vocabulary when its merge comes.</param>
    public static void WriteByteLevel(string directory, IReadOnlyList<string> specialTokens, IReadOnlyList<(string, string)>? merges = null)
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        merges ??= [];
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (char c in ByteLevelAlphabet.Characters) vocab[c.ToString()] = vocab.Count;
        for (int i = 0; i < merges.Count; i++)
        {
            var (left, right) = merges[i];
            if (!vocab.ContainsKey(left ?? "") || !vocab.ContainsKey(right ?? ""))
                throw new ArgumentException($"merge {i} (\"{left}\", \"{right}\"): both parts must be in the vocabulary before it (byte-level characters or results of earlier merges).", nameof(merges));
            vocab.TryAdd(left + right, vocab.Count);
        }
        var added = new List<AddedToken>();
        foreach (string special in specialTokens)
        {
            if (string.IsNullOrEmpty(special) || vocab.ContainsKey(special) || added.Any(a => a.Content == special))
                throw new ArgumentException($"special token '{special}' is empty, repeated or already a vocabulary token.", nameof(specialTokens));
            added.Add(new AddedToken(vocab.Count + added.Count, special, Special: true));
        }

        System.IO.Directory.CreateDirectory(directory);
        WriteAtomically(Path.Combine(directory, TokenizerJson.FileName), w => WriteTokenizerJson(w, vocab, merges, added));
        WriteAtomically(Path.Combine(directory, TokenizerConfig.FileName), w => WriteConfig(w, added));
    }

    /// <summary>Qwen2's pre-tokenizer split: contractions, letters with one leading non-letter, single digits, punctuation runs, newlines, spaces.</summary>
    public const string Qwen2SplitPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    static void WriteTokenizerJson(Utf8JsonWriter w, Dictionary<string, int> vocab, IReadOnlyList<(string, string)> merges, List<AddedToken> added)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        foreach (var token in added)
        {
            w.WriteStartObject();
            w.WriteNumber("id", token.Id);
            w.WriteString("content", token.Content);
            w.WriteBoolean("single_word", false);
            w.WriteBoolean("lstrip", false);
            w.WriteBoolean("rstrip", false);
            w.WriteBoolean("normalized", false);
            w.WriteBoolean("special", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("normalizer");
        w.WriteString("type", "NFC");
        w.WriteEndObject();
        w.WriteStartObject("pre_tokenizer");
        w.WriteString("type", "Sequence");
        w.WriteStartArray("pretokenizers");
        w.WriteStartObject();
        w.WriteString("type", "Split");
        w.WriteStartObject("pattern");
        w.WriteString("Regex", Qwen2SplitPattern);
        w.WriteEndObject();
        w.WriteString("behavior", "Isolated");
        w.WriteBoolean("invert", false);
        w.WriteEndObject();
        WriteByteLevelComponent(w, null);
        w.WriteEndArray();
        w.WriteEndObject();
        WriteByteLevelComponent(w, "post_processor");
        WriteByteLevelComponent(w, "decoder");
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteString("continuing_subword_prefix", "");
        w.WriteString("end_of_word_suffix", "");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteStartObject("vocab");
        foreach (var (token, id) in vocab.OrderBy(p => p.Value)) w.WriteNumber(token, id);
        w.WriteEndObject();
        w.WriteStartArray("merges");
        foreach (var (left, right) in merges) w.WriteStringValue(left + " " + right);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    static void WriteByteLevelComponent(Utf8JsonWriter w, string? name)
    {
        if (name is null) w.WriteStartObject(); else w.WriteStartObject(name);
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", false);
        w.WriteBoolean("trim_offsets", false);
        w.WriteBoolean("use_regex", false);
        w.WriteEndObject();
    }

    static void WriteConfig(Utf8JsonWriter w, List<AddedToken> added)
    {
        bool Has(string content) => added.Any(a => a.Content == content);
        string? eos = Has("<|im_end|>") ? "<|im_end|>" : Has("<|endoftext|>") ? "<|endoftext|>" : added.FirstOrDefault()?.Content;
        w.WriteStartObject();
        w.WriteBoolean("add_bos_token", false);
        w.WriteBoolean("add_prefix_space", false);
        w.WriteStartObject("added_tokens_decoder");
        foreach (var token in added)
        {
            w.WriteStartObject(token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("content", token.Content);
            w.WriteBoolean("lstrip", false);
            w.WriteBoolean("normalized", false);
            w.WriteBoolean("rstrip", false);
            w.WriteBoolean("single_word", false);
            w.WriteBoolean("special", true);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteNull("bos_token");
        if (Has("<|im_start|>") && Has("<|im_end|>")) w.WriteString("chat_template", ChatTemplateJinja);
        w.WriteBoolean("clean_up_tokenization_spaces", false);
        if (eos is null) w.WriteNull("eos_token"); else w.WriteString("eos_token", eos);
        w.WriteString("errors", "replace");
        w.WriteNumber("model_max_length", 32768);
        if (Has("<|endoftext|>")) w.WriteString("pad_token", "<|endoftext|>"); else w.WriteNull("pad_token");
        w.WriteBoolean("split_special_tokens", false);
        w.WriteString("tokenizer_class", "Qwen2Tokenizer");
        w.WriteNull("unk_token");
        w.WriteEndObject();
    }

    // A Qwen-style ChatML template (system message first, default one when none is given) for test models.
    const string ChatTemplateJinja =
        "{%- if messages[0]['role'] != 'system' %}{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{%- endif %}" +
        "{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{%- endfor %}" +
        "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

    static void WriteAtomically(string path, Action<Utf8JsonWriter> write)
    {
        string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var stream = File.Create(temporary))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
