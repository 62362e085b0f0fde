using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Rlsc.Core.Data;
using Rlsc.Core.Tokenization;

namespace Rlsc.Benchmarks.Tokenization;

/// <summary>
/// The real Qwen2.5 tokenizer on the 500 math500 problems (the prompts an evaluation encodes) and on their reference
/// solutions (the length of generated text): encode with a warm word cache, encode from an empty cache, decode.
/// Run: dotnet run -c Release --project bench/Rlsc.Benchmarks -- --filter '*TokenizerBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    HfTokenizer _tokenizer = null!;
    string _directory = "";
    List<string> _prompts = [];
    List<string> _solutions = [];
    List<int[]> _solutionIds = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = PublicTokenizers.Qwen25Directory();
        _tokenizer = HfTokenizer.Load(_directory);
        string mirror = DataMirror.Locate() ?? throw new InvalidOperationException("needs the data mirror (RLSC_MIRROR or ../shared)");
        foreach (string line in File.ReadLines(Path.Combine(mirror, "eval-data", "math500", "test.jsonl")))
        {
            using var row = JsonDocument.Parse(line);
            _prompts.Add(ChatTemplates.Render(ChatTemplates.QwenMathCot, row.RootElement.GetProperty("problem").GetString()!));
            _solutions.Add(row.RootElement.GetProperty("solution").GetString()!);
        }
        _solutionIds = _solutions.Select(s => _tokenizer.Encode(s)).ToList();
    }

    [Benchmark(Description = "encode 500 prompts (warm cache)")]
    public int EncodePrompts()
    {
        int n = 0;
        foreach (string prompt in _prompts) n += _tokenizer.Encode(prompt).Length;
        return n;
    }

    [Benchmark(Description = "encode 500 solutions (warm cache)")]
    public int EncodeSolutions()
    {
        int n = 0;
        foreach (string solution in _solutions) n += _tokenizer.Encode(solution).Length;
        return n;
    }

    [Benchmark(Description = "decode 500 solutions")]
    public int DecodeSolutions()
    {
        int n = 0;
        foreach (int[] ids in _solutionIds) n += _tokenizer.Decode(ids, skipSpecialTokens: true).Length;
        return n;
    }

    [Benchmark(Description = "load tokenizer.json (7 MB)")]
    public int Load()
    {
        using var tokenizer = HfTokenizer.Load(_directory);
        return tokenizer.VocabSize;
    }
}
