using System.Runtime.CompilerServices;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Core.Config;

/// <summary>
/// Checks a run configuration in one place before anything is loaded, the evaluation section included. Every problem
/// is collected, then one error lists them all, each naming the option, the value and what to set instead.
/// The commands validate what they load; the trainers validate again only a configuration that was not validated
/// as it is now (one built by hand, or changed since), so that any caller of RlscTrainer.Run stays safe.
/// </summary>
public static class RunConfigValidator
{
    /// <summary>Each configuration validated, with its content then: a change afterwards needs a new check.</summary>
    static readonly ConditionalWeakTable<IRunConfig, string> Validated = new();

    public static void Validate(FineTuneConfig c, string? file = null)
    {
        if (IsValidated(c)) return;
        var p = new Problems();
        Common(p, c, FineTuneConfig.SchemaId);

        if (string.IsNullOrWhiteSpace(c.Data.Suite) && string.IsNullOrWhiteSpace(c.Data.File))
            p.Add("data.suite / data.file", "neither is set; set data.suite (e.g. \"aime24\") or data.file (a JSONL file of questions)");
        if (c.Data.Limit is < 1) p.Add("data.limit", c.Data.Limit, "must be at least 1, or null for all questions");
        if (c.Data.QuestionField is { } qf && string.IsNullOrWhiteSpace(qf)) p.Add("data.question_field", qf, "must name a field, or be null");
        if (string.IsNullOrWhiteSpace(c.Data.PromptTemplate)) p.Add("data.prompt_template", c.Data.PromptTemplate, "must name a chat template, e.g. \"qwen25-math-cot\"");

        var s = c.Sampling;
        if (s.SamplesPerQuestion < 1) p.Add("sampling.samples_per_question", s.SamplesPerQuestion, "must be at least 1 (the paper uses 16)");
        if (!(s.Temperature > 0) || !double.IsFinite(s.Temperature))
            p.Add("sampling.temperature", s.Temperature, "must be > 0: RLSC samples, and divides the logits by T inside the loss (the paper uses 0.5)");
        if (!(s.TopP > 0 && s.TopP <= 1)) p.Add("sampling.top_p", s.TopP, "must be in (0, 1]; 1 turns nucleus sampling off");
        if (s.TopK < 0) p.Add("sampling.top_k", s.TopK, "must be >= 0; 0 turns top-k off");
        if (s.MaxNewTokens < 1) p.Add("sampling.max_new_tokens", s.MaxNewTokens, "must be at least 1 (the paper uses 3072)");
        if (s.StopStrings.Any(string.IsNullOrEmpty)) p.Add("sampling.stop_strings", "contains an empty string; remove it");

        var l = c.Loss;
        if (!(l.Alpha >= 0) || !double.IsFinite(l.Alpha)) p.Add("loss.alpha", l.Alpha, "must be >= 0 (0 gives the paper's L1; it uses 0.1)");
        if (l.Renormalize && l.Weighting == Weighting.Paper && l.Alpha == 0)
            p.Add("loss.renormalize", "with weighting paper and alpha 0 the coefficients can all underflow to 0 and cannot be renormalised; set alpha > 0 or weighting normalized");
        if (!(l.AdvantageEpsilon > 0) || !double.IsFinite(l.AdvantageEpsilon))
            p.Add("loss.advantage_epsilon", l.AdvantageEpsilon, "must be > 0 (it keeps (r - mean) / (std + epsilon) finite; verl's default is 1e-6)");

        var t = c.Training;
        if (t.Steps < 1) p.Add("training.steps", t.Steps, "must be at least 1 (the paper uses 10)");
        if (t.QuestionsPerStep < 1) p.Add("training.questions_per_step", t.QuestionsPerStep, "must be at least 1");
        if (t.MicroBatchTokens < 1) p.Add("training.micro_batch_tokens", t.MicroBatchTokens, "must be at least 1");
        if (t.CheckpointEvery < 0) p.Add("training.checkpoint_every", t.CheckpointEvery, "must be >= 0 (0: only the final checkpoint)");
        foreach (string target in t.ReportTo.Where(r => !ReportTargets.All.Contains(r)))
            p.Add("training.report_to", target, "is not a known log; the choices are " + string.Join(", ", ReportTargets.All.Select(x => $"\"{x}\"")) + " (or [] for none)");
        Schedule(p, c.Optimizer, t.Steps);
        Evaluation(p, c.Evaluation, s.Temperature);

        p.ThrowIfAny(file);
        // Resolves every suite now, so that a typo does not cost a whole run: an unknown name fails with the known ones.
        if (c.Evaluation.Suites.Count > 0) SuiteCatalog.FindAll(string.Join(",", c.Evaluation.Suites));
        Remember(c);
    }

    public static void Validate(SftConfig c, string? file = null)
    {
        if (IsValidated(c)) return;
        var p = new Problems();
        Common(p, c, SftConfig.SchemaId);

        if (string.IsNullOrWhiteSpace(c.Data.File)) p.Add("data.file", "is not set; set it to a JSONL file of {\"prompt\": ..., \"completion\": ...} lines (or pass --data)");
        if (string.IsNullOrWhiteSpace(c.Data.PromptField)) p.Add("data.prompt_field", c.Data.PromptField, "must name a field");
        if (string.IsNullOrWhiteSpace(c.Data.CompletionField)) p.Add("data.completion_field", c.Data.CompletionField, "must name a field");
        if (c.Data.PromptTemplate is { } tpl && string.IsNullOrWhiteSpace(tpl)) p.Add("data.prompt_template", tpl, "must name a chat template, or be null for verbatim prompts");

        var t = c.Training;
        if (t.Epochs < 1) p.Add("training.epochs", t.Epochs, "must be at least 1");
        if (t.BatchSize < 1) p.Add("training.batch_size", t.BatchSize, "must be at least 1");
        if (t.MaxSteps is < 1) p.Add("training.max_steps", t.MaxSteps, "must be at least 1, or null for epochs x batches");
        if (t.MicroBatchTokens < 1) p.Add("training.micro_batch_tokens", t.MicroBatchTokens, "must be at least 1");
        if (t.CheckpointEvery < 0) p.Add("training.checkpoint_every", t.CheckpointEvery, "must be >= 0 (0: only the final checkpoint)");
        Schedule(p, c.Optimizer, t.MaxSteps);

        p.ThrowIfAny(file);
        Remember(c);
    }

    static void Common(Problems p, IRunConfig c, string schema)
    {
        if (c.Schema != schema) p.Add("schema", c.Schema, $"must be \"{schema}\" for this command");
        if (string.IsNullOrWhiteSpace(c.Model)) p.Add("model", "is not set; set it to a Hugging Face checkpoint folder or hub id (or pass --model)");
        if (string.IsNullOrWhiteSpace(c.Output)) p.Add("output", "is not set; set it to the run folder (or pass --output)");
        if (c.Dtype == TrainingDType.Bfloat16 && !c.Lora.Enabled)
            p.Add("dtype", "bfloat16", "full fine-tuning needs float32 weights (an update at lr 1e-5 is below bfloat16's resolution and rounds away); set dtype float32 or auto, or enable lora (then only the frozen base weights are bfloat16)");

        var o = c.Optimizer;
        if (!(o.LearningRate > 0) || !double.IsFinite(o.LearningRate)) p.Add("optimizer.learning_rate", o.LearningRate, "must be > 0 (the paper uses 1e-5)");
        if (!(o.WeightDecay >= 0) || !double.IsFinite(o.WeightDecay)) p.Add("optimizer.weight_decay", o.WeightDecay, "must be >= 0");
        if (!(o.Beta1 >= 0 && o.Beta1 < 1)) p.Add("optimizer.beta1", o.Beta1, "must be in [0, 1)");
        if (!(o.Beta2 >= 0 && o.Beta2 < 1)) p.Add("optimizer.beta2", o.Beta2, "must be in [0, 1)");
        if (!(o.Epsilon > 0) || !double.IsFinite(o.Epsilon)) p.Add("optimizer.epsilon", o.Epsilon, "must be > 0");
        if (!(o.MaxGradNorm >= 0) || !double.IsFinite(o.MaxGradNorm)) p.Add("optimizer.max_grad_norm", o.MaxGradNorm, "must be >= 0 (0 turns clipping off)");
        if (o.WarmupSteps < 0) p.Add("optimizer.warmup_steps", o.WarmupSteps, "must be >= 0");
        if (!(o.FinalLearningRateRatio >= 0 && o.FinalLearningRateRatio <= 1)) p.Add("optimizer.final_learning_rate_ratio", o.FinalLearningRateRatio, "must be in [0, 1]");

        var lora = c.Lora;
        if (lora.Enabled)
        {
            if (lora.Rank < 1) p.Add("lora.rank", lora.Rank, "must be at least 1");
            if (!(lora.Alpha > 0) || !double.IsFinite(lora.Alpha)) p.Add("lora.alpha", lora.Alpha, "must be > 0");
            if (lora.Targets.Count == 0) p.Add("lora.targets", "is empty; name at least one of " + string.Join(", ", LoraOptions.AllTargets));
            foreach (string target in lora.Targets.Where(t => !LoraOptions.AllTargets.Contains(t)))
                p.Add("lora.targets", target, "is not a projection; the choices are " + string.Join(", ", LoraOptions.AllTargets));
            foreach (string dup in lora.Targets.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key))
                p.Add("lora.targets", dup, "is listed twice");
        }
    }

    /// <summary>The before/after evaluation after training (section `evaluation`); nothing to check when it names no suite.</summary>
    static void Evaluation(Problems p, FineTuneEvaluationOptions e, double trainingTemperature)
    {
        if (e.Suites.Count == 0) return;
        if (e.Samples < 2) p.Add("evaluation.samples", e.Samples, "must be at least 2 for the sampled evaluation (greedy is always evaluated)");
        if (e.LoweredTemperature is double t && !(t > 0 && t < trainingTemperature))
            p.Add("evaluation.lowered_temperature", t, $"must be above 0 and below sampling.temperature ({Problems.Format(trainingTemperature)})");
        if (e.Limit is < 1) p.Add("evaluation.limit", e.Limit, "must be at least 1, or null for all problems");
        if (e.BatchSize < 1) p.Add("evaluation.batch_size", e.BatchSize, "must be at least 1");
    }

    static bool IsValidated(IRunConfig c) => Validated.TryGetValue(c, out string? then) && Snapshot(c) == then;

    static void Remember(IRunConfig c)
    {
        if (Snapshot(c) is { } now) Validated.AddOrUpdate(c, now);
    }

    /// <summary>The configuration's content; null when it cannot be written (a non-finite number set by hand).</summary>
    static string? Snapshot(IRunConfig c)
    {
        try
        {
            return RunConfigJson.ToJson<object>(c);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    static void Schedule(Problems p, OptimizationOptions o, int? steps)
    {
        // A run length that is itself invalid is reported on its own; comparing the warm-up with it adds only noise.
        if (steps is int n && n >= 1 && o.WarmupSteps > n)
            p.Add("optimizer.warmup_steps", o.WarmupSteps, $"is longer than the run ({n} steps); the peak learning rate would never be reached");
    }

    sealed class Problems
    {
        readonly List<string> items = [];

        public void Add(string option, object? value, string what) =>
            items.Add($"{option} = {Format(value)} {what}");

        public void Add(string option, string what) => items.Add($"{option} {what}");

        public void ThrowIfAny(string? file)
        {
            if (items.Count == 0) return;
            string message = items.Count == 1
                ? "invalid configuration: " + items[0] + "."
                : $"invalid configuration ({items.Count} problems):" + string.Concat(items.Select(i => "\n  - " + i + "."));
            throw new RlscException(ErrorCodes.InvalidArgument, message, file);
        }

        public static string Format(object? value) => value switch
        {
            null => "null",
            string s => $"\"{s}\"",
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
        };
    }
}
