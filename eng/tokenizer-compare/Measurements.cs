using System.Diagnostics;
using System.Text.Json;

namespace Rlsc.TokenizerCompare;

sealed record Reference(List<(string Source, string Text, int[] Ids, string Decoded, string DecodedSkip)> Cases,
                        List<(string Source, int[] Ids, string Decoded, string DecodedSkip)> DecodeCases)
{
    public static Reference Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var r = doc.RootElement;
        static int[] Ids(JsonElement e) => e.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray();
        return new Reference(
            r.GetProperty("cases").EnumerateArray().Select(c => (c.GetProperty("source").GetString()!, c.GetProperty("text").GetString()!, Ids(c),
                c.GetProperty("decoded").GetString()!, c.GetProperty("decoded_skip_special").GetString()!)).ToList(),
            r.GetProperty("decode_cases").EnumerateArray().Select(c => (c.GetProperty("source").GetString()!, Ids(c),
                c.GetProperty("decoded").GetString()!, c.GetProperty("decoded_skip_special").GetString()!)).ToList());
    }
}

static class Corpus
{
    /// <summary>Every problem and solution of math500 and gsm8k: the kind of text the runtime tokenizes.</summary>
    public static List<string> Load(string evalDir)
    {
        var texts = new List<string>();
        foreach (string suite in new[] { "math500", "gsm8k" })
            foreach (string line in File.ReadLines(Path.Combine(evalDir, suite, "test.jsonl")))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                using var doc = JsonDocument.Parse(line);
                foreach (string field in new[] { "problem", "question", "solution", "answer" })
                    if (doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String) texts.Add(v.GetString()!);
            }
        return texts;
    }
}

static class Parity
{
    public static void Report(ICandidate candidate, Reference reference)
    {
        int encodeOk = 0, decodeOk = 0, skipOk = 0, skipTotal = 0, decodeIsSkip = 0;
        var failures = new List<string>();
        foreach (var (source, text, ids, decoded, decodedSkip) in reference.Cases)
        {
            int[] got;
            try { got = candidate.Encode(text); }
            catch (Exception e) { failures.Add($"{source}: encode threw {e.GetType().Name}: {e.Message}"); continue; }
            if (got.SequenceEqual(ids)) encodeOk++;
            else failures.Add($"{source}: encode {Show(text)} -> [{string.Join(",", got.Take(12))}] expected [{string.Join(",", ids.Take(12))}]");
            Check(candidate, source, ids, decoded, decodedSkip, ref decodeOk, ref skipOk, ref skipTotal, ref decodeIsSkip, failures);
        }
        foreach (var (source, ids, decoded, decodedSkip) in reference.DecodeCases)
            Check(candidate, source, ids, decoded, decodedSkip, ref decodeOk, ref skipOk, ref skipTotal, ref decodeIsSkip, failures);

        int decodeTotal = reference.Cases.Count + reference.DecodeCases.Count;
        Console.WriteLine($"parity: encode {encodeOk}/{reference.Cases.Count}, decode {decodeOk}/{decodeTotal}, " +
                          (skipTotal == 0 ? "skip-special decode: not available" : $"skip-special decode {skipOk}/{skipTotal}") +
                          $", plain decode equal to HF's skip_special_tokens=True output {decodeIsSkip}/{decodeTotal}" +
                          $", token->id: {(candidate.TokenToId("<|im_end|>") is int id ? $"<|im_end|> = {id}" : "not available")}");
        foreach (string f in failures.Take(6)) Console.WriteLine("  " + f);
        if (failures.Count > 6) Console.WriteLine($"  ... {failures.Count - 6} more");
    }

    static void Check(ICandidate candidate, string source, int[] ids, string decoded, string decodedSkip,
                      ref int decodeOk, ref int skipOk, ref int skipTotal, ref int decodeIsSkip, List<string> failures)
    {
        try
        {
            string got = candidate.Decode(ids);
            if (got == decodedSkip) decodeIsSkip++;
            if (got == decoded) decodeOk++; else failures.Add($"{source}: decode {Show(got)} expected {Show(decoded)}");
            if (candidate.DecodeSkippingSpecial(ids) is { } skipped)
            {
                skipTotal++;
                if (skipped == decodedSkip) skipOk++; else failures.Add($"{source}: skip-special decode {Show(skipped)} expected {Show(decodedSkip)}");
            }
        }
        catch (Exception e)
        {
            failures.Add($"{source}: decode threw {e.GetType().Name}: {e.Message}");
        }
    }

    static string Show(string s) => JsonSerializer.Serialize(s.Length > 40 ? s[..40] + "..." : s);
}

static class Speed
{
    public static void Report(ICandidate candidate, List<string> corpus, Func<List<double>, double> median)
    {
        double megabytes = corpus.Sum(t => System.Text.Encoding.UTF8.GetByteCount(t)) / 1e6;
        var encoded = new List<int[]>(corpus.Count);
        var sw = Stopwatch.StartNew();
        foreach (string text in corpus) encoded.Add(candidate.Encode(text));
        double cold = sw.Elapsed.TotalMilliseconds;
        long tokens = encoded.Sum(e => (long)e.Length);

        var encodeTimes = new List<double>();
        var decodeTimes = new List<double>();
        for (int rep = 0; rep < 5; rep++)
        {
            sw.Restart();
            foreach (string text in corpus) candidate.Encode(text);
            encodeTimes.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            foreach (int[] ids in encoded) candidate.Decode(ids);
            decodeTimes.Add(sw.Elapsed.TotalMilliseconds);
        }
        double encodeMs = median(encodeTimes), decodeMs = median(decodeTimes);
        Console.WriteLine($"speed: encode {tokens / encodeMs / 1e3:F2} M tokens/s ({megabytes / encodeMs * 1e3:F1} MB/s, {encodeMs:F0} ms; first pass {cold:F0} ms), " +
                          $"decode {tokens / decodeMs / 1e3:F2} M tokens/s ({decodeMs:F0} ms) over {tokens:N0} tokens, median of 5");
    }
}
