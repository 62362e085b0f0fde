using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// A tiny autoregressive language model over the digits 0-5 (+ end and padding ids) for fast, exact trainer
/// tests: h_t = tanh(q_proj(E[x_t] + P[t] + mean_{s&lt;=t} E2[x_s])), logits = lm_head(up_proj(h_t)). Its projections
/// are named like Qwen2's so LoRA attaches to them, and it samples by plain ancestral sampling with the request's seed.
/// </summary>
sealed class ToyCausalLm : ITrainableModel
{
    public const int Digits = 6, Eos = 6, Pad = 7, Vocab = 8, MaxLength = 48;
    const string WeightsFile = "toy.bin";

    sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly Embedding embed, embed_context;
        public readonly Parameter positions;
        public readonly Linear q_proj, up_proj, lm_head;

        public Net(long seed) : base("ToyNet")
        {
            manual_seed(seed);
            embed = nn.Embedding(Vocab, 16);
            embed_context = nn.Embedding(Vocab, 16);
            positions = nn.Parameter(randn(MaxLength, 16) * 0.3);
            q_proj = nn.Linear(16, 24);
            up_proj = nn.Linear(24, 16);
            lm_head = nn.Linear(16, Vocab);
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids)   // (B, T) -> (B, T, V)
        {
            long t = ids.shape[1];
            var context = embed_context.call(ids).cumsum(1) / arange(1, t + 1, dtype: ScalarType.Float32).view(1, t, 1);
            var h = q_proj.call(embed.call(ids) + positions[..(int)t].unsqueeze(0) + context).tanh();   // (B, T, 24)
            return lm_head.call(up_proj.call(h).tanh());                                                  // (B, T, V)
        }
    }

    readonly Net net;

    ToyCausalLm(Net net) => this.net = net;

    public static ToyCausalLm Create(long seed) => new(new Net(seed));

    /// <summary>The loader a test passes in TrainingRunOptions.LoadModel.</summary>
    public static ITrainableModel Load(string directory, ModelPlacement _)
    {
        var net = new Net(0);
        net.load(Path.Combine(directory, WeightsFile));
        return new ToyCausalLm(net);
    }

    /// <summary>Writes a base model folder for a run's `model`.</summary>
    public static string WriteBase(string directory, long seed)
    {
        using var model = Create(seed);
        model.Save(directory);
        return directory;
    }

    public nn.Module Module => net;
    public Device Device => CPU;
    public int ContextLength => MaxLength;
    public int PadTokenId => Pad;
    public IReadOnlyList<int> EosTokenIds => [Eos];

    public int[] Encode(string text) => text.Select(c => c is >= '0' and <= '5'
        ? c - '0'
        : throw new ArgumentException($"the toy model only knows the digits 0-5, not '{c}'")).ToArray();

    public string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Where(i => i < Digits).Select(i => (char)('0' + i)));

    public Tensor Logits(Tensor inputIds, Tensor attentionMask) => net.call(inputIds);

    public IReadOnlyList<SampledCompletion> Sample(int[] promptIds, SamplingRequest request, IProgress<int>? tokens, CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator(unchecked((ulong)request.Seed));
        var sequences = tensor(promptIds.Select(i => (long)i).ToArray()).unsqueeze(0).repeat(request.Count, 1);   // (N, P)
        for (int step = 0; step < request.MaxNewTokens; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var probs = nn.functional.softmax(net.call(sequences)[.., -1, ..] / request.Temperature, -1);        // (N, V)
            sequences = cat([sequences, multinomial(probs, 1, generator: generator)], 1);
            tokens?.Report(step + 1);
        }
        var result = new List<SampledCompletion>();
        for (int i = 0; i < request.Count; i++)
        {
            var ids = sequences[i, promptIds.Length..].data<long>().Select(x => (int)x).ToList();
            int end = ids.IndexOf(Eos);
            var kept = end >= 0 ? ids[..(end + 1)] : ids;
            result.Add(new SampledCompletion([.. kept], Decode(kept), end >= 0 ? "eos" : "length"));
        }
        return result;
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        net.save(Path.Combine(directory, WeightsFile));
    }

    public void Dispose() => net.Dispose();

    /// <summary>
    /// Every completion of up to <paramref name="maxNewTokens"/> tokens and its exact probability at temperature T
    /// (those without an end token are the ones sampling truncates): the probabilities sum to 1.
    /// </summary>
    public List<(int[] Completion, double Probability)> Enumerate(int[] promptIds, int maxNewTokens, double temperature)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var result = new List<(int[], double)>();
        var frontier = new List<(int[] Completion, double P)> { ([], 1.0) };
        for (int depth = 0; depth < maxNewTokens; depth++)
        {
            var next = new List<(int[], double)>();
            foreach (var (completion, p) in frontier)
            {
                var ids = tensor(promptIds.Concat(completion).Select(i => (long)i).ToArray()).unsqueeze(0);
                var probs = nn.functional.softmax(net.call(ids)[0, -1].to_type(ScalarType.Float64) / temperature, -1);
                for (int v = 0; v < Vocab; v++)
                {
                    double pv = p * probs[v].item<double>();
                    int[] longer = [.. completion, v];
                    if (v == Eos) result.Add((longer, pv));
                    else next.Add((longer, pv));
                }
            }
            frontier = next;
        }
        result.AddRange(frontier);   // truncated at max_new_tokens
        return result;
    }
}
