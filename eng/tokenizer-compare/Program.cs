// Evidence for docs/tokenization.md: parity with Hugging Face's reference encodings and speed of three .NET
// tokenizers on the real Qwen2.5 tokenizer. Run: dotnet run -c Release (in this folder) [-- TOKENIZER_DIR EVAL_DIR]
using System.Diagnostics;
using System.Text.Json;
using Rlsc.Core.Data;
using Rlsc.Core.Tokenization;
using Rlsc.TokenizerCompare;

string root = DataMirror.FindCheckoutRoot(Environment.CurrentDirectory) ?? throw new InvalidOperationException("run inside the checkout");
string tokenizerDir = args.Length > 0 ? args[0] : PublicTokenizers.Qwen25Directory();
string evalDir = args.Length > 1 ? args[1] : Path.Combine(DataMirror.Locate() ?? throw new InvalidOperationException("no data mirror"), "eval-data");
var reference = Reference.Load(Path.Combine(root, "tests/Rlsc.Runtime.Tests/Tokenization/TestData/qwen25-reference.json"));
var corpus = Corpus.Load(evalDir);
Console.WriteLine($"reference: {reference.Cases.Count} encodings, {reference.DecodeCases.Count} id sequences; " +
                  $"speed corpus: {corpus.Count} texts, {corpus.Sum(t => System.Text.Encoding.UTF8.GetByteCount(t)) / 1e6:F2} MB");
Console.WriteLine($"{Environment.ProcessorCount} CPUs, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine();

var candidates = new (string Name, Func<ICandidate> Load)[]
{
    ("Rlsc.Tokenization (managed, this repo)", () => new RlscCandidate(tokenizerDir)),
    ("Tokenizers.DotNet 1.4.1 (HF Rust tokenizers)", () => new HfRustCandidate(tokenizerDir)),
    ("Microsoft.ML.Tokenizers 2.0.1 (BpeTokenizer)", () => new MlNetCandidate(tokenizerDir)),
};

foreach (var (name, load) in candidates)
{
    Console.WriteLine($"== {name}");
    var loadTimes = new List<double>();
    ICandidate? candidate = null;
    for (int i = 0; i < 3; i++)
    {
        var sw = Stopwatch.StartNew();
        candidate = load();
        loadTimes.Add(sw.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"load: {Median(loadTimes):F0} ms (median of 3; first {loadTimes[0]:F0} ms)");
    Parity.Report(candidate!, reference);
    Speed.Report(candidate!, corpus, Median);
    Console.WriteLine();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
