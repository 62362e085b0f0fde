using System.Text.Json;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// tokenizer.json's "post_processor": what Encode(text, addSpecialTokens: true) adds around the ids.
/// ByteLevel adds nothing (Qwen2, GPT-2); TemplateProcessing adds the special tokens of its "single" template
/// (Llama 3: &lt;|begin_of_text|&gt; $A).
/// </summary>
abstract class PostProcessor
{
    public abstract int[] AddSpecialTokens(List<int> ids);

    public static PostProcessor? FromJson(JsonElement element, string file, string path = "post_processor")
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        string type = TokenizerErrors.RequiredType(element, file, path);
        switch (type)
        {
            case "ByteLevel":
                return null;
            case "TemplateProcessing":
                return TemplatePostProcessor.Read(element, file, path);
            case "Sequence":
                if (!element.TryGetProperty("processors", out var items) || items.ValueKind != JsonValueKind.Array)
                    throw TokenizerErrors.Invalid(file, $"{path}.processors", "an array");
                var steps = new List<PostProcessor>();
                int i = 0;
                foreach (var item in items.EnumerateArray())
                    if (FromJson(item, file, $"{path}.processors[{i++}]") is { } step) steps.Add(step);
                return steps.Count switch { 0 => null, 1 => steps[0], _ => new SequencePostProcessor(steps) };
            default:
                throw TokenizerErrors.Unsupported(file, $"{path}.type", type, "ByteLevel, TemplateProcessing, Sequence");
        }
    }

    sealed class TemplatePostProcessor(List<int[]?> single) : PostProcessor
    {
        // Each entry: the ids of a special token, or null where the sequence ($A) goes.
        public override int[] AddSpecialTokens(List<int> ids)
        {
            var result = new List<int>(ids.Count + 4);
            foreach (var piece in single)
                if (piece is null) result.AddRange(ids);
                else result.AddRange(piece);
            return [.. result];
        }

        public static TemplatePostProcessor Read(JsonElement element, string file, string path)
        {
            if (!element.TryGetProperty("single", out var single) || single.ValueKind != JsonValueKind.Array)
                throw TokenizerErrors.Invalid(file, $"{path}.single", "an array of template pieces");
            var specials = TokenizerErrors.RequiredObject(element, "special_tokens", file, path);
            var pieces = new List<int[]?>();
            int i = 0;
            foreach (var piece in single.EnumerateArray())
            {
                string where = $"{path}.single[{i++}]";
                if (piece.ValueKind == JsonValueKind.Object && piece.TryGetProperty("Sequence", out _))
                {
                    pieces.Add(null);
                }
                else if (piece.ValueKind == JsonValueKind.Object && piece.TryGetProperty("SpecialToken", out var special))
                {
                    string name = TokenizerErrors.OptionalString(special, "id", file, $"{where}.SpecialToken")
                        ?? throw TokenizerErrors.Invalid(file, $"{where}.SpecialToken.id", "the name of a special token");
                    if (!specials.TryGetProperty(name, out var entry) || !entry.TryGetProperty("ids", out var idArray) || idArray.ValueKind != JsonValueKind.Array)
                        throw TokenizerErrors.Invalid(file, $"{path}.special_tokens.{name}.ids", "an array of ids");
                    pieces.Add(idArray.EnumerateArray().Select(e => e.TryGetInt32(out int id) ? id
                        : throw TokenizerErrors.Invalid(file, $"{path}.special_tokens.{name}.ids", "integers")).ToArray());
                }
                else
                {
                    throw TokenizerErrors.Invalid(file, where, "{\"Sequence\": ...} or {\"SpecialToken\": ...}");
                }
            }
            return new TemplatePostProcessor(pieces);
        }
    }

    sealed class SequencePostProcessor(List<PostProcessor> steps) : PostProcessor
    {
        public override int[] AddSpecialTokens(List<int> ids)
        {
            var current = ids;
            foreach (var step in steps) current = [.. step.AddSpecialTokens(current)];
            return [.. current];
        }
    }
}
