using System.Reflection;
using System.Text.Json.Nodes;
using static Rlsc.Runtime.Tests.Model.HfParityFixture;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Runtime.Tests.Model;

/// <summary>
/// Parity with Hugging Face transformers itself (5.17, torch 2.11), both ways, from the fixture that
/// eng/hf-parity/make_reference.py wrote (docs/model.md, "Parity with Hugging Face transformers"):
/// HF -> us: tiny random Qwen2 / Llama checkpoints saved by transformers load through our loader and give
/// transformers' float64 logits and greedy tokens; us -> HF: transformers loaded our models/arith-base and its
/// tokenizer ids, logits and greedy completions are ours.
/// </summary>
public class HfParityTests
{
    // Tolerances. The float64 reference is transformers in float64 with rotary cos/sin in float32, as both
    // implementations compute them; measured agreement: max |Δlogit| 5e-13 for logits of size 5 to 15. 1e-6 leaves
    // 2,000x of room for summation order yet catches semantic slips that float32 noise would hide: running a
    // left-padded row at positions shifted by 2 (neutral for RoPE in exact arithmetic, not in float32 cos/sin) moves
    // arith-base's float64 logits by 4.6e-6 and fails here. The price: float64 parity assumes both libtorch builds
    // round float32 cos/sin alike (inv_freq is checked bit for bit below); if an upgrade breaks only the float64
    // cases by ~1e-6 while float32 and greedy pass, look there first.
    const double Float64Tolerance = 1e-6;
    // float32 and bfloat16 are held to a small multiple of the error transformers itself makes in that dtype on the
    // CPU (hf_cpu_*_max_abs_diff in the fixture): ours must be as accurate as the reference implementation.
    const double Float32Factor = 4;
    const double BFloat16Factor = 2;

    static readonly string[] TinyNames = ["qwen2-gqa", "qwen2-gqa-bf16", "qwen2-tied-mqa", "llama-bias-headdim"];

    static string TinyFolder(string name) => Path.Combine(HfParityFixture.Directory, name);

    static double ToleranceFor(JsonObject entry, string dtype) => dtype switch
    {
        "float64" => Float64Tolerance,
        "float32" => Float32Factor * Number(entry["hf_cpu_float32_max_abs_diff"]),
        "bfloat16" => BFloat16Factor * Number(entry["hf_cpu_bfloat16_max_abs_diff"]),
        _ => throw new ArgumentException(dtype),
    };

    [Test]
    public void TheFixtureIsTransformersOutputWithoutProblems()
    {
        var versions = Reference["versions"]!.AsObject();
        Assert.That((string)Reference["schema"]!, Is.EqualTo("rlsc.hf-parity/v1"));
        Assert.That((string)versions["transformers"]!, Does.StartWith("5."));
        Assert.That(Reference["problems"]!.AsArray(), Is.Empty, "make_reference.py reported problems");
        Assert.That(TinyNames.Select(Tiny).Select(t => (string)t["name"]!), Is.EqualTo(TinyNames));
        // transformers pads correctly itself: a left-padded row equals the row run alone (float64).
        foreach (var name in TinyNames)
            Assert.That(Number(Tiny(name)["hf_padded_vs_alone_max_abs_diff"]), Is.LessThan(1e-12), name);
    }

    // --- HF -> us: checkpoints written by transformers' save_pretrained ---

    [TestCase("qwen2-gqa")]
    [TestCase("qwen2-gqa-bf16")]
    [TestCase("qwen2-tied-mqa")]
    [TestCase("llama-bias-headdim")]
    public void TheConfigTransformersWroteIsRead(string name)
    {
        var saved = Tiny(name)["config_json"]!.AsObject();
        var config = ModelConfig.Load(Path.Combine(TinyFolder(name), "config.json"));
        // transformers 5 writes rope_theta inside rope_parameters and the dtype as "dtype".
        Assert.That(config.RopeTheta, Is.EqualTo(Number(saved["rope_parameters"]!["rope_theta"])));
        Assert.That(config.TorchDtype, Is.EqualTo((string)saved["dtype"]!));
        Assert.That(config.HeadDim, Is.EqualTo(saved["head_dim"]?.GetValue<int>() ?? config.HiddenSize / config.NumAttentionHeads));
        Assert.That(config.TieWordEmbeddings, Is.EqualTo((bool)saved["tie_word_embeddings"]!));
        Assert.That(config.RmsNormEps, Is.EqualTo(Number(saved["rms_norm_eps"])));
        Assert.That(config.EosTokenIds, Is.EqualTo(new[] { saved["eos_token_id"]!.GetValue<int>() }));
        Assert.That(config.AttentionBias, Is.EqualTo(saved["attention_bias"]?.GetValue<bool>() ?? false));
        Assert.That(config.MlpBias, Is.EqualTo(saved["mlp_bias"]?.GetValue<bool>() ?? false));
    }

    [Test]
    public void RotaryScalingInTransformers5RopeParametersIsRefused()
    {
        // A Llama 3.1-style config as transformers 5 writes it: the scaling lives in rope_parameters, not rope_scaling.
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(HfParityFixture.Directory, "llama3-rope-scaling", "config.json")))!.AsObject();
        Assert.That((string)json["rope_parameters"]!["rope_type"]!, Is.EqualTo("llama3"));
        // LlamaConfig.save_pretrained writes "architectures" only for a config that came from a model; a checkpoint has it.
        json["architectures"] ??= new JsonArray("LlamaForCausalLM");
        var folder = System.IO.Directory.CreateTempSubdirectory("rlsc-hf-rope-");
        try
        {
            string path = Path.Combine(folder.FullName, "config.json");
            File.WriteAllText(path, json.ToJsonString());
            var e = Assert.Throws<RlscException>(() => ModelConfig.Load(path))!;
            Assert.That(e.Code, Is.EqualTo(ErrorCodes.ModelConfigInvalid));
            Assert.That(e.Message, Does.Contain("'rope_parameters'").And.Contain("llama3"));
            Assert.That(e.File, Is.EqualTo(path));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestCase("qwen2-gqa")]
    [TestCase("qwen2-tied-mqa")]
    [TestCase("llama-bias-headdim")]
    public void RotaryFrequenciesAreTransformersBitForBit(string name)
    {
        using var module = CausalLM.LoadModule(TinyFolder(name));
        // inv_freq is a private field: TorchSharp 0.107 lists no non-persistent buffer in named_buffers().
        var field = typeof(Qwen2RotaryEmbedding).GetField("inv_freq", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var ours = ((Tensor)field.GetValue(module.model.rotary_emb)!).data<float>().ToArray();
        var theirs = Doubles(Tiny(name)["inv_freq"]).Select(x => (float)x).ToArray();
        Assert.That(ours, Is.EqualTo(theirs));
    }

    [TestCase("qwen2-gqa", "float64")]
    [TestCase("qwen2-gqa", "float32")]
    [TestCase("qwen2-gqa-bf16", "float64")]   // bf16 weights widened exactly: the reference is float64 math on them
    [TestCase("qwen2-gqa-bf16", "float32")]
    [TestCase("qwen2-gqa-bf16", "bfloat16")]  // loaded as stored ("auto" = the config's dtype)
    [TestCase("qwen2-tied-mqa", "float64")]
    [TestCase("qwen2-tied-mqa", "float32")]
    [TestCase("llama-bias-headdim", "float64")]
    [TestCase("llama-bias-headdim", "float32")]
    public void LogitsOfATransformersCheckpointMatchTransformers(string name, string dtype)
    {
        var entry = Tiny(name);
        var forward = entry["forward"]!.AsObject();
        using var scope = NewDisposeScope();
        using var module = CausalLM.LoadModule(TinyFolder(name), new ModelLoadOptions(DType: dtype == "bfloat16" ? "auto" : dtype));
        Assert.That(module.DType.ToString(), Is.EqualTo(dtype == "bfloat16" ? "BFloat16" : dtype == "float64" ? "Float64" : "Float32"));
        var ids = LongMatrix(forward["input_ids"]);
        var mask = LongMatrix(forward["attention_mask"]);

        // Our positions for left padding are the ones transformers' generate uses (and the fixture's forward was given).
        var positions = Qwen2Model.PositionsFromMask(mask, ids.shape[0], ids.shape[1], 0, CPU);
        Assert.That(positions.data<long>().ToArray(), Is.EqualTo(LongMatrix(forward["position_ids"]).data<long>().ToArray()));

        Tensor logits;
        using (no_grad())
            logits = module.call(new CausalLMInput(ids, mask)).Logits!.to(ScalarType.Float64);  // (B, T, V)
        double worst = 0;
        int compared = 0;
        var rows = forward["logits"]!.AsArray();
        for (int b = 0; b < rows.Count; b++)
        {
            var positionsOfRow = rows[b]!.AsArray();
            for (int t = 0; t < positionsOfRow.Count; t++)
            {
                if (positionsOfRow[t] is not JsonArray expected) continue;  // padding: not a real token
                var actual = logits[b, t].data<double>().ToArray();
                var theirs = Doubles(expected);
                Assert.That(actual, Has.Length.EqualTo(theirs.Length));
                for (int v = 0; v < theirs.Length; v++) worst = Math.Max(worst, Math.Abs(actual[v] - theirs[v]));
                compared++;
            }
        }
        double tolerance = ToleranceFor(entry, dtype);
        TestContext.Out.WriteLine($"{name} {dtype}: max |ours - transformers float64| = {worst:E3} over {compared} positions (tolerance {tolerance:E3}; " +
                                  $"transformers itself: float32 {Number(entry["hf_cpu_float32_max_abs_diff"]):E3}, bfloat16 {Number(entry["hf_cpu_bfloat16_max_abs_diff"]):E3})");
        Assert.That(compared, Is.EqualTo(mask.sum().item<long>()));
        Assert.That(worst, Is.LessThan(tolerance), "max |logit - transformers' float64 logit|");
        Assert.That(Number(entry["reference_max_abs_logit"]), Is.GreaterThan(2), "the reference logits must not be trivially small");
    }

    [TestCase("qwen2-gqa", "float64")]
    [TestCase("qwen2-gqa", "float32")]
    [TestCase("qwen2-gqa-bf16", "float32")]
    [TestCase("qwen2-tied-mqa", "float64")]
    [TestCase("qwen2-tied-mqa", "float32")]
    [TestCase("llama-bias-headdim", "float64")]
    [TestCase("llama-bias-headdim", "float32")]
    public void GreedyGenerationMatchesTransformers(string name, string dtype)
    {
        var generation = Tiny(name)["generation"]!.AsObject();
        var sequences = generation["sequences"]!.AsArray().Select(s => s!.AsObject()).ToList();
        // The smallest top-1/top-2 gap on transformers' greedy path is far above either side's float32 error, so the
        // argmax is not a coin toss and the token ids must be equal.
        Assert.That(sequences.Min(s => Number(s["min_top2_margin"])), Is.GreaterThan(1e-3));
        using var module = CausalLM.LoadModule(TinyFolder(name), new ModelLoadOptions(DType: dtype));
        var prompts = sequences.Select(s => Ints(s["prompt_ids"])).ToList();
        // One left-padded batch of prompts of lengths 1, 5 and 8; transformers ran each alone.
        var results = Generation.Generate(module, prompts,
            new GenerationOptions { Temperature = 0, MaxNewTokens = generation["max_new_tokens"]!.GetValue<int>() },
            new StopCriteria(Ints(generation["eos_token_ids"]), [], null));
        for (int i = 0; i < sequences.Count; i++)
        {
            Assert.That(results[i].TokenIds, Is.EqualTo(Ints(sequences[i]["output_ids"])), $"prompt {i}");
            Assert.That(results[i].FinishReason, Is.EqualTo((string)sequences[i]["finish_reason"]!), $"prompt {i}");
        }
    }

    // --- us -> HF: models/arith-base, written by our CheckpointWriter, read by transformers ---

    static string ArithDirectory => RepositoryRoot.Combine("models", "arith-base");

    /// <summary>The fixture describes these exact files; a retrained arith-base needs a new fixture.</summary>
    static void RequireTheFixturesArithBase()
    {
        foreach (var (file, key) in new[] { ("model.safetensors", "model_sha256"), ("tokenizer.json", "tokenizer_json_sha256") })
            if (Sha256(Path.Combine(ArithDirectory, file)) != (string)ArithBase[key]!)
                Assert.Fail($"models/arith-base/{file} is not the file the transformers fixture was made from; " +
                            "regenerate tests/Rlsc.Runtime.Tests/Model/HfParity with eng/hf-parity/make_reference.py (eng/hf-parity/README.md).");
    }

    [Test]
    public void ArithBaseTokenIdsAndPromptsMatchTransformers()
    {
        RequireTheFixturesArithBase();
        Assert.That((bool)ArithBase["chat_template_matches"]!, "the checkpoint's chat_template renders [system, user] as qwen25-math-cot");
        using var tokenizer = HfTokenizer.Load(ArithDirectory);
        var texts = ArithBase["tokenization"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.That(texts, Has.Count.GreaterThanOrEqualTo(8));
        foreach (var t in texts)
        {
            string text = (string)t["text"]!;
            Assert.That((bool)t["auto_fast_raw_agree"]!, $"transformers' own tokenizers agree on {text}");
            Assert.That(tokenizer.Encode(text, addSpecialTokens: true), Is.EqualTo(Ints(t["ids"])), text);
            Assert.That(tokenizer.Decode(Ints(t["ids"])), Is.EqualTo((string)t["decoded"]!), text);
        }
        // Our qwen25-math-cot prompt is the text transformers tokenized.
        foreach (var s in ArithBase["generation"]!["sequences"]!.AsArray())
        {
            string prompt = ChatTemplates.Render(ChatTemplates.QwenMathCot, (string)s!["question"]!);
            Assert.That(tokenizer.Encode(prompt, addSpecialTokens: true), Is.EqualTo(Ints(s["prompt_ids"])));
        }
    }

    [TestCase("float64")]
    [TestCase("float32")]
    public void ArithBaseLogitsMatchTransformers(string dtype)
    {
        RequireTheFixturesArithBase();
        var forward = ArithBase["forward"]!.AsObject();
        using var scope = NewDisposeScope();
        using var model = CausalLM.Load(ArithDirectory, new ModelLoadOptions(DType: dtype));
        var ids = LongMatrix(forward["input_ids"]);
        var mask = LongMatrix(forward["attention_mask"]);
        Tensor logits;
        using (no_grad())
            logits = model.Module.call(new CausalLMInput(ids, mask)).Logits!.to(ScalarType.Float64);  // (B, T, V)
        var subset = tensor(Ints(forward["vocab_subset"]).Select(i => (long)i).ToArray());
        double tolerance = ToleranceFor(ArithBase, dtype), worst = 0;
        var rows = forward["rows"]!.AsArray();
        for (int b = 0; b < rows.Count; b++)
        {
            var row = rows[b]!.AsObject();
            long length = ids.shape[1], real = mask[b].sum().item<long>();
            Assert.That(mask[b].narrow(0, length - real, real).all().item<bool>(), "left padding");
            var ours = logits[b].narrow(0, length - real, real);        // (T_b, V): the real positions
            void Compare(Tensor actual, double[] expected, string what)
            {
                var a = actual.contiguous().data<double>().ToArray();
                Assert.That(a, Has.Length.EqualTo(expected.Length), what);
                for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - expected[i]));
            }
            Compare(ours.index_select(1, subset), row["logits_at_vocab_subset"]!.AsArray().SelectMany(Doubles).ToArray(), "logits at the vocabulary subset");
            Compare(ours.logsumexp(-1), Doubles(row["logsumexp"]), "log-sum-exp over the whole vocabulary");
            Compare(ours[real - 1], Doubles(row["last_position_logits"]), "the last position's logits");
            // transformers' argmax is ours up to the tolerance (a near tie may pick either).
            var argmax = Ints(row["argmax"]).Select(i => (long)i).ToArray();
            var atTheirArgmax = ours.gather(1, tensor(argmax).unsqueeze(1)).squeeze(1);
            Assert.That((ours.amax([1]) - atTheirArgmax).max().item<double>(), Is.LessThan(2 * tolerance), "argmax");
        }
        TestContext.Out.WriteLine($"arith-base {dtype}: max |ours - transformers float64| = {worst:E3} (tolerance {tolerance:E3})");
        Assert.That(worst, Is.LessThan(tolerance));
    }

    [TestCase("float64")]
    [TestCase("float32")]
    public void ArithBaseGreedyCompletionsMatchTransformers(string dtype)
    {
        RequireTheFixturesArithBase();
        var generation = ArithBase["generation"]!.AsObject();
        var sequences = generation["sequences"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.That(sequences.Min(s => Number(s["min_top2_margin"])), Is.GreaterThan(1e-3));
        using var model = CausalLM.Load(ArithDirectory, new ModelLoadOptions(DType: dtype));
        Assert.That(model.EosTokenIds, Is.EquivalentTo(Ints(generation["eos_token_ids"])), "the EOS ids transformers was given");
        // What `rlsc eval` runs for the arith suite: the qwen25-math-cot prompt, greedy, one left-padded batch.
        var prompts = sequences.Select(s => ChatTemplates.Render(ChatTemplates.QwenMathCot, (string)s["question"]!)).ToList();
        var results = Generation.Generate(model, prompts,
            new GenerationOptions { Temperature = 0, MaxNewTokens = generation["max_new_tokens"]!.GetValue<int>() });
        for (int i = 0; i < sequences.Count; i++)
        {
            Assert.That(results[i].TokenIds, Is.EqualTo(Ints(sequences[i]["completion_ids"])), (string)sequences[i]["id"]!);
            Assert.That(results[i].Text, Is.EqualTo((string)sequences[i]["text"]!), (string)sequences[i]["id"]!);
            Assert.That(results[i].FinishReason, Is.EqualTo((string)sequences[i]["finish_reason"]!), (string)sequences[i]["id"]!);
        }
    }
}
