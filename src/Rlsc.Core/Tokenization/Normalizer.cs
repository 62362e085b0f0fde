using System.Text;
using System.Text.Json;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// tokenizer.json's "normalizer": Unicode normalization (Qwen2 uses NFC), lowercasing, or a sequence of them.
/// Applied to the text between added tokens, before pre-tokenization.
/// </summary>
abstract class Normalizer
{
    public abstract string Normalize(string text);

    public static Normalizer? FromJson(JsonElement element, string file, string path = "normalizer")
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        string type = TokenizerErrors.RequiredType(element, file, path);
        return type switch
        {
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new LowercaseNormalizer(),
            "Sequence" => new SequenceNormalizer(ReadSequence(element, file, path)),
            _ => throw TokenizerErrors.Unsupported(file, $"{path}.type", type, "NFC, NFD, NFKC, NFKD, Lowercase, Sequence"),
        };
    }

    static List<Normalizer> ReadSequence(JsonElement element, string file, string path)
    {
        if (!element.TryGetProperty("normalizers", out var items) || items.ValueKind != JsonValueKind.Array)
            throw TokenizerErrors.Invalid(file, $"{path}.normalizers", "an array");
        var result = new List<Normalizer>();
        int i = 0;
        foreach (var item in items.EnumerateArray())
            if (FromJson(item, file, $"{path}.normalizers[{i++}]") is { } n) result.Add(n);
        return result;
    }

    sealed class UnicodeNormalizer(NormalizationForm form) : Normalizer
    {
        // IsNormalized is a fast scan: most text (ASCII) is already in every form.
        public override string Normalize(string text) => text.IsNormalized(form) ? text : text.Normalize(form);
    }

    sealed class LowercaseNormalizer : Normalizer
    {
        public override string Normalize(string text) => text.ToLowerInvariant();
    }

    sealed class SequenceNormalizer(List<Normalizer> steps) : Normalizer
    {
        public override string Normalize(string text)
        {
            foreach (var step in steps) text = step.Normalize(text);
            return text;
        }
    }
}
