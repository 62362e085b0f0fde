using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Rlsc.Core.Tokenization;

namespace Rlsc.TokenizerCompare;

/// <summary>One tokenizer library behind the operations the runtime needs.</summary>
interface ICandidate
{
    int[] Encode(string text);
    string Decode(int[] ids);
    /// <summary>Null when the library cannot skip special tokens.</summary>
    string? DecodeSkippingSpecial(int[] ids);
    /// <summary>Null when the library has no token/id lookup.</summary>
    int? TokenToId(string token);
}

sealed class RlscCandidate(string dir) : ICandidate
{
    readonly HfTokenizer _tokenizer = HfTokenizer.Load(dir);
    public int[] Encode(string text) => _tokenizer.Encode(text);
    public string Decode(int[] ids) => _tokenizer.Decode(ids);
    public string? DecodeSkippingSpecial(int[] ids) => _tokenizer.Decode(ids, skipSpecialTokens: true);
    public int? TokenToId(string token) => _tokenizer.TokenToId(token);
}

/// <summary>Tokenizers.DotNet: the whole API is new Tokenizer(path), uint[] Encode(string), string Decode(uint[]).</summary>
sealed class HfRustCandidate(string dir) : ICandidate
{
    readonly Tokenizers.DotNet.Tokenizer _tokenizer = new(Path.Combine(dir, "tokenizer.json"));
    public int[] Encode(string text) => text.Length == 0 ? [] : _tokenizer.Encode(text).Select(id => (int)id).ToArray();
    public string Decode(int[] ids) => ids.Length == 0 ? "" : _tokenizer.Decode(ids.Select(id => (uint)id).ToArray());
    public string? DecodeSkippingSpecial(int[] ids) => null;
    public int? TokenToId(string token) => null;
}

/// <summary>
/// Microsoft.ML.Tokenizers has no tokenizer.json loader: its BpeTokenizer is assembled here from the file's vocabulary,
/// merges, added tokens and Split regex, with byte-level handling and an NFC normalizer (the library has none built in).
/// </summary>
sealed class MlNetCandidate : ICandidate
{
    readonly BpeTokenizer _tokenizer;

    public MlNetCandidate(string dir)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "tokenizer.json")));
        var root = json.RootElement;
        var model = root.GetProperty("model");
        var vocab = model.GetProperty("vocab").EnumerateObject().Select(p => new KeyValuePair<string, int>(p.Name, p.Value.GetInt32())).ToList();
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => m.GetString()!).ToList();
        var added = root.GetProperty("added_tokens").EnumerateArray()
            .ToDictionary(t => t.GetProperty("content").GetString()!, t => t.GetProperty("id").GetInt32());
        string pattern = root.GetProperty("pre_tokenizer").GetProperty("pretokenizers")[0].GetProperty("pattern").GetProperty("Regex").GetString()!;
        _tokenizer = BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            SpecialTokens = added,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), added),
            Normalizer = new NfcNormalizer(),
            ByteLevel = true,
        });
    }

    public int[] Encode(string text) => _tokenizer.EncodeToIds(text).ToArray();
    public string Decode(int[] ids) => _tokenizer.Decode(ids, considerSpecialTokens: true);
    public string? DecodeSkippingSpecial(int[] ids) => _tokenizer.Decode(ids, considerSpecialTokens: false);
    public int? TokenToId(string token) => _tokenizer.Vocabulary.TryGetValue(token, out int id) ? id : null;

    sealed class NfcNormalizer : Microsoft.ML.Tokenizers.Normalizer
    {
        public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);
        public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(NormalizationForm.FormC);
    }
}
