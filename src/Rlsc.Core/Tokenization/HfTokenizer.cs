


namespace Rlsc.Core.Tokenization;

/// <summary>
/// A Hugging Face tokenizer loaded from a folder's tokenizer.json (+ tokenizer_config.json when present), encoding
/// and decoding exactly as Hugging Face's tokenizers do for byte-level BPE models (Qwen2/Qwen2.5, GPT-2, Llama 3).
/// Parity with Hugging Face on the real Qwen2.5 tokenizer is tested against reference encodings made by an
/// independent implementation (see docs/tokenization.md). Thread-safe; load once and share.
/// </summary>
public sealed class HfTokenizer : IDisposable
{
    readonly TokenizerJson _json;
    readonly AddedTokenSplitter _rawSplitter;         // added tokens matched in the raw text ("normalized": false)
    readonly AddedTokenSplitter _normalizedSplitter;  // added tokens matched after normalization ("normalized": true)
    readonly Dictionary<int, AddedToken> _addedById;
    readonly Dictionary<string, AddedToken> _addedByContent;
    readonly string?[] _idToToken;

    HfTokenizer(string directory, TokenizerJson json, TokenizerConfig config)
    {
        Directory = directory;
        Config = config;
        _json = json;
        _rawSplitter = new AddedTokenSplitter(json.AddedTokens.Where(t => !t.Normalized));
        _normalizedSplitter = new AddedTokenSplitter(json.AddedTokens.Where(t => t.Normalized));
        _addedById = new Dictionary<int, AddedToken>();
        _addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in json.AddedTokens)
        {
            _addedById[token.Id] = token;
            _addedByContent[token.Content] = token;
        }

        int size = Math.Max(json.Vocab.Count == 0 ? 0 : json.Vocab.Values.Max() + 1,
                            json.AddedTokens.Count == 0 ? 0 : json.AddedTokens.Max(t => t.Id) + 1);
        _idToToken = new string?[size];
        foreach (var (token, id) in json.Vocab) _idToToken[id] = token;
        foreach (var token in json.AddedTokens) _idToToken[token.Id] = token.Content;
        VocabSize = size;

        var eos = new List<int>();
        foreach (string? name in new[] { config.EosToken, "<|im_end|>", "<|endoftext|>" })
            if (name is not null && TokenToId(name) is int id && !eos.Contains(id)) eos.Add(id);
        EosTokenIds = eos;
        PadTokenId = config.PadToken is null ? null : TokenToId(config.PadToken);
    }

    /// <summary>
    /// Loads the tokenizer of a model folder. Errors: <see cref="ErrorCodes.TokenizerNotFound"/> when the folder or its
    /// tokenizer.json is missing, <see cref="ErrorCodes.TokenizerInvalid"/> (file and field named) when a file is
    /// malformed, <see cref="ErrorCodes.TokenizerUnsupported"/> for a tokenizer that is not byte-level BPE.
    /// </summary>
    public static HfTokenizer Load(string directory)
    {
        string full = Path.GetFullPath(directory);
        if (File.Exists(full) && Path.GetFileName(full) == TokenizerJson.FileName) full = Path.GetDirectoryName(full)!;
        if (!System.IO.Directory.Exists(full))
            throw new RlscException(ErrorCodes.TokenizerNotFound,
                "the tokenizer folder does not exist. Name a model or tokenizer folder that holds tokenizer.json (and tokenizer_config.json).", full);
        string jsonPath = Path.Combine(full, TokenizerJson.FileName);
        if (!File.Exists(jsonPath))
            throw new RlscException(ErrorCodes.TokenizerNotFound,
                $"the folder has no {TokenizerJson.FileName}. Copy the tokenizer files of the model's Hugging Face repository " +
                "(tokenizer.json, tokenizer_config.json) into it, or fetch the model with `rlsc fetch-model`.", full);
        string configPath = Path.Combine(full, TokenizerConfig.FileName);
        var config = File.Exists(configPath) ? TokenizerConfig.Load(configPath) : TokenizerConfig.Empty;
        return new HfTokenizer(full, TokenizerJson.Load(jsonPath), config);
    }

    /// <summary>The folder the tokenizer was loaded from (absolute).</summary>
    public string Directory { get; }

    /// <summary>The fields of tokenizer_config.json the runtime uses (all null when the file is absent).</summary>
    public TokenizerConfig Config { get; }

    /// <summary>One more than the largest id of the vocabulary and the added tokens (Qwen2.5: 151,665).</summary>
    public int VocabSize { get; }

    /// <summary>tokenizer_config's eos_token, then &lt;|im_end|&gt; and &lt;|endoftext|&gt; when the vocabulary has them: generation stops on any.</summary>
    public IReadOnlyList<int> EosTokenIds { get; }

    /// <summary>tokenizer_config's pad_token (Qwen2.5: &lt;|endoftext|&gt;), or null.</summary>
    public int? PadTokenId { get; }

    /// <summary>The added tokens of tokenizer.json (special and not), in file order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => _json.AddedTokens;

    /// <summary>
    /// The files a checkpoint writer copies from the tokenizer folder, those that exist: what transformers and vLLM
    /// read to load the tokenizer of a saved model.
    /// </summary>
    public static IReadOnlyList<string> CheckpointFiles { get; } =
    [
        TokenizerJson.FileName, TokenizerConfig.FileName, "special_tokens_map.json", "added_tokens.json",
        "vocab.json", "merges.txt", "chat_template.jinja", "chat_template.json",
    ];

    /// <summary>
    /// Token ids of <paramref name="text"/>. Added tokens written in the text (&lt;|im_start|&gt;) become their ids whatever
    /// <paramref name="addSpecialTokens"/> says; it only controls what the post-processor adds around the ids
    /// (nothing for Qwen2.5, a BOS token for Llama 3), as in transformers' encode(add_special_tokens=...).
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        foreach (var segment in _rawSplitter.Split(text))
        {
            if (segment.Token is { } added)
            {
                ids.Add(added.Id);
                continue;
            }
            string normalized = _json.Normalizer?.Normalize(text.Substring(segment.Start, segment.Length))
                                ?? text.Substring(segment.Start, segment.Length);
            foreach (var inner in _normalizedSplitter.Split(normalized))
            {
                if (inner.Token is { } normalizedAdded) ids.Add(normalizedAdded.Id);
                else EncodePlain(normalized.Substring(inner.Start, inner.Length), ids);
            }
        }
        return addSpecialTokens && _json.PostProcessor is { } post ? post.AddSpecialTokens(ids) : [.. ids];
    }

    void EncodePlain(string text, List<int> ids)
    {
        var pieces = new List<string> { text };
        _json.PreTokenizer.Apply(pieces);
        foreach (string word in pieces) _json.Model.Encode(word, ids);
    }

    /// <summary>
    /// The text of <paramref name="ids"/>. Bytes split across tokens are joined before UTF-8 decoding; an incomplete
    /// sequence becomes U+FFFD. Ids that are in neither the vocabulary nor the added tokens (a model's padded rows
    /// above <see cref="VocabSize"/>) decode to nothing, as in Hugging Face's tokenizers.
    /// </summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>(ids.Count);
        foreach (int id in ids)
        {
            if (IdToToken(id) is not { } token) continue;
            if (skipSpecialTokens && IsSpecial(id)) continue;
            tokens.Add(token);
        }
        return _json.HasDecoder ? ByteLevelDecoder.Decode(tokens) : string.Join(' ', tokens);
    }

    /// <summary>The id of a vocabulary token (byte-level form, "Ġworld") or of an added token ("&lt;|im_end|&gt;"), or null.</summary>
    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out var added) ? added.Id
        : _json.Vocab.TryGetValue(token, out int id) ? id
        : null;

    /// <summary>The token of an id (byte-level form for vocabulary tokens), or null when the id has none.</summary>
    public string? IdToToken(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;

    /// <summary>True for added tokens marked "special" (dropped by skip-special decoding); &lt;tool_call&gt; in Qwen2.5 is not.</summary>
    public bool IsSpecial(int id) => _addedById.TryGetValue(id, out var token) && token.Special;

    public void Dispose()
    {
        // Nothing native to free: the tokenizer is managed code. IDisposable stays so that callers need not change
        // should a native implementation ever back this class.
    }
}
