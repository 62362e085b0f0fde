using System.Text;
using System.Text.Json;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// tokenizer.json's "pre_tokenizer": splits normalized text into words that BPE encodes independently.
/// Qwen2: Sequence[Split(regex, Isolated), ByteLevel(use_regex=false)]; GPT-2: ByteLevel(use_regex=true).
/// Each step maps a list of pieces to a list of pieces, as Hugging Face's PreTokenizedString does.
/// </summary>
abstract class PreTokenizer
{
    /// <summary>GPT-2's split pattern, used by ByteLevel when use_regex is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>True when the words come out in byte-level form (every character one of the 256 of <see cref="ByteLevelAlphabet"/>).</summary>
    public abstract bool IsByteLevel { get; }

    public abstract void Apply(List<string> pieces);

    public static PreTokenizer? FromJson(JsonElement element, string file, string path = "pre_tokenizer")
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        string type = TokenizerErrors.RequiredType(element, file, path);
        switch (type)
        {
            case "Split":
                return SplitPreTokenizer.Read(element, file, path);
            case "ByteLevel":
                return new ByteLevelPreTokenizer(
                    TokenizerErrors.OptionalBool(element, "add_prefix_space", true, file, path),
                    TokenizerErrors.OptionalBool(element, "use_regex", true, file, path));
            case "Sequence":
                if (!element.TryGetProperty("pretokenizers", out var items) || items.ValueKind != JsonValueKind.Array)
                    throw TokenizerErrors.Invalid(file, $"{path}.pretokenizers", "an array");
                var steps = new List<PreTokenizer>();
                int i = 0;
                foreach (var item in items.EnumerateArray())
                    if (FromJson(item, file, $"{path}.pretokenizers[{i++}]") is { } step) steps.Add(step);
                return new SequencePreTokenizer(steps);
            default:
                throw TokenizerErrors.Unsupported(file, $"{path}.type", type, "Split, ByteLevel, Sequence");
        }
    }

    /// <summary>Split with "Isolated" behaviour: every match and every gap between matches becomes a piece.</summary>
    protected static void SplitIsolated(List<string> pieces, CodePointRegex regex)
    {
        var result = new List<string>(pieces.Count * 4);
        foreach (string piece in pieces)
        {
            int position = 0;
            foreach (var (start, length) in regex.Matches(piece))
            {
                if (start > position) result.Add(piece[position..start]);
                result.Add(piece.Substring(start, length));
                position = start + length;
            }
            if (position < piece.Length) result.Add(piece[position..]);
        }
        pieces.Clear();
        pieces.AddRange(result);
    }

    sealed class SplitPreTokenizer(CodePointRegex regex) : PreTokenizer
    {
        public override bool IsByteLevel => false;

        public override void Apply(List<string> pieces) => SplitIsolated(pieces, regex);

        public static SplitPreTokenizer Read(JsonElement element, string file, string path)
        {
            string behavior = TokenizerErrors.OptionalString(element, "behavior", file, path) ?? "Isolated";
            if (behavior != "Isolated")
                throw TokenizerErrors.Unsupported(file, $"{path}.behavior", behavior, "Isolated");
            if (TokenizerErrors.OptionalBool(element, "invert", false, file, path))
                throw TokenizerErrors.Unsupported(file, $"{path}.invert", "true", "false");
            var pattern = TokenizerErrors.RequiredObject(element, "pattern", file, path);
            string regex = TokenizerErrors.OptionalString(pattern, "Regex", file, $"{path}.pattern") is { } r ? r
                : TokenizerErrors.OptionalString(pattern, "String", file, $"{path}.pattern") is { } s ? System.Text.RegularExpressions.Regex.Escape(s)
                : throw TokenizerErrors.Invalid(file, $"{path}.pattern", "{\"Regex\": ...} or {\"String\": ...}");
            try
            {
                return new SplitPreTokenizer(new CodePointRegex(regex));
            }
            catch (ArgumentException e)
            {
                throw TokenizerErrors.Invalid(file, $"{path}.pattern.Regex", $"a regular expression .NET can compile ({e.Message})");
            }
        }
    }

    sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
    {
        static readonly CodePointRegex Gpt2 = new(Gpt2Pattern);

        public override bool IsByteLevel => true;

        public override void Apply(List<string> pieces)
        {
            if (addPrefixSpace)
                for (int i = 0; i < pieces.Count; i++)
                    if (!pieces[i].StartsWith(' ')) pieces[i] = " " + pieces[i];
            if (useRegex) SplitIsolated(pieces, Gpt2);
            Span<byte> buffer = stackalloc byte[256];
            for (int i = 0; i < pieces.Count; i++)
            {
                string piece = pieces[i];
                int count = Encoding.UTF8.GetMaxByteCount(piece.Length);
                var bytes = count <= buffer.Length ? buffer : new byte[count];
                int written = Encoding.UTF8.GetBytes(piece, bytes);
                pieces[i] = ByteLevelAlphabet.EncodeBytes(bytes[..written]);
            }
        }
    }

    sealed class SequencePreTokenizer(List<PreTokenizer> steps) : PreTokenizer
    {
        public override bool IsByteLevel => steps.Any(s => s.IsByteLevel);

        public override void Apply(List<string> pieces)
        {
            foreach (var step in steps) step.Apply(pieces);
        }
    }
}
