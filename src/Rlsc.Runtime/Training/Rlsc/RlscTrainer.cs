using System.Diagnostics;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// `rlsc finetune`: Reinforcement Learning via Self-Confidence (Li et al. 2025, arXiv 2506.06395, Algorithm 1).
/// Each step takes the next training.questions_per_step questions and, for each question x:
/// <list type="number">
/// <item>samples N completions from the current model with gradients off (p_old: the model before this update);</item>
/// <item>runs prompt + completion forward with gradients, in micro-batches within training.micro_batch_tokens;</item>
/// <item>log p(y|x) = SUM over the completion tokens of log_softmax(logits / T) (prompt and padding masked out);</item>
/// <item>loss = -(w(y) + alpha) * log p(y|x), w from p_old (no gradient), reduced over samples and questions;</item>
/// </list>
/// then one AdamW update (the paper's algorithm updates once per question: questions_per_step = 1).
/// loss.objective swaps step 4's loss for another label-free one (ttrl, entropy, self_certainty: Training/Rlsc,
/// <see cref="ILabelFreeObjective"/>); sampling, scoring, micro-batching and the session stay the same.
/// The step runs in the phases of TRL's trainers: generate and score (the step's samples in one batched decode, then
/// per question its answers and the no-grad old-policy scores: <see cref="ScoredQuestion"/>), compute the loss and
/// its gradient (the questions packed into shared micro-batches, each prompt run once for its samples:
/// <see cref="QuestionLoss"/>), log (<see cref="QuestionOutcome"/>).
/// </summary>
public sealed class RlscTrainer
{
    readonly FineTuneConfig config;
    readonly IReadOnlyList<TrainingQuestion> questions;
    readonly ILabelFreeObjective objective;
    // Compares the N samples' answers with each other (never with a gold answer), with the evaluation's rules.
    readonly MathGrader grader = new();
    readonly RowScorer scorer;

    RlscTrainer(FineTuneConfig config, IReadOnlyList<TrainingQuestion> questions)
    {
        this.config = config;
        this.questions = questions;
        objective = LabelFreeObjectives.Create(config.Loss);
        scorer = new RowScorer(objective.Needs, config.Sampling.Temperature);
    }

    /// <summary>Runs (or resumes) a finetune run; returns its summary. Throws RLSC004 when interrupted.</summary>
    public static RunSummary Run(FineTuneConfig config, TrainingRunOptions run, CancellationToken cancellation = default)
    {
        // A no-op for a configuration the command validated (and has not changed since); a check for one built by hand.
        RunConfigValidator.Validate(config);
        var questions = FineTuneData.Load(config.Data);
        var trainer = new RlscTrainer(config, questions);
        var options = new TrainingSessionOptions
        {
            Kind = "finetune", Config = config, EffectiveConfigJson = RunConfigJson.ToJson(config),
            TotalSteps = config.Training.Steps, CheckpointEvery = config.Training.CheckpointEvery,
            ExampleCount = questions.Count, Shuffle = config.Data.Shuffle,
            DataFingerprint = FineTuneData.Fingerprint(questions.Select(q => q.Text)),
        };
        using var session = TrainingSession.Open(options, run, out var completed);
        if (session is null) return completed!;
        using var samplesLog = config.Training.LogSamples ? new JsonlWriter(session.Folder.SamplesFile) : null;
        var tensorBoard = TensorBoardLog.Open(session.Folder.Root, config.Training.ReportTo, newRun: session.StartStep == 0);
        tensorBoard?.Configuration(RunConfigJson.ToJson(config));
        return session.Run(step => trainer.Step(step, samplesLog), cancellation, tensorBoard);
    }

    StepReport Step(StepContext ctx, JsonlWriter? samplesLog)
    {
        int count = config.Training.QuestionsPerStep;
        var model = ctx.Model;
        var s = config.Sampling;
        var stepQuestions = Enumerable.Range(0, count).Select(_ => questions[ctx.NextExample()]).ToList();
        var prompts = stepQuestions.Select(q => model.Encode(ChatTemplates.Render(config.Data.PromptTemplate, q.Text))).ToList();
        var requests = Enumerable.Range(0, count).Select(slot =>
            new SamplingRequest(s.SamplesPerQuestion, s.Temperature, s.TopP, s.TopK, s.MaxNewTokens, s.StopStrings, SeedMixer.Mix(config.Seed, ctx.Step, slot))).ToList();

        // 1. Generate: sample every question of the step at once, with gradients off, from the current weights: p_old's
        // samples. One batched decode instead of one per question; each question keeps its own seed.
        ctx.Report("sampling", $"{count} question{(count == 1 ? "" : "s")}");
        long started = Stopwatch.GetTimestamp();
        IReadOnlyList<IReadOnlyList<SampledCompletion>> sampled;
        using (no_grad())
        {
            var tokens = new SyncProgress<int>(n => ctx.Report("sampling", $"{n} tokens"));
            sampled = model.SampleMany(prompts, requests, tokens, ctx.Cancellation);
        }
        // The batch's time, shared evenly: the per-question figures still add up to the step's sampling time.
        double samplingSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds / count;

        // 2. Score every question (its answers, micro-batches and the coefficients known before the gradient passes), then
        // 3. compute the loss and its gradient over the step's questions packed into shared micro-batches, then 4. log.
        long trainingStarted = Stopwatch.GetTimestamp();
        var scored = Enumerable.Range(0, count).Select(slot => ScoreQuestion(ctx, prompts[slot], sampled[slot])).ToList();
        var losses = ComputeLosses(ctx, scored);
        // As for sampling: the packed passes' time shared evenly, so the per-question figures add up to the step's.
        double trainingSeconds = Stopwatch.GetElapsedTime(trainingStarted).TotalSeconds / count;
        var outcomes = new List<QuestionOutcome>(count);
        for (int slot = 0; slot < count; slot++)
        {
            var outcome = Outcome(ctx, stepQuestions[slot], requests[slot].Seed, scored[slot], losses[slot], samplingSeconds, trainingSeconds);
            outcomes.Add(outcome);
            samplesLog?.Write(outcome.Log);
        }
        return new StepReport(ObjectiveMetrics.Of(objective.Kind, outcomes), outcomes.Sum(o => o.Samples.Sum(s => (long)s.Length)));
    }

    /// <summary>
    /// 2. Score (the rest of TRL's generate-and-score): the samples' answers, their micro-batches and every
    /// coefficient that can be known before the gradient passes, with no graph.
    /// </summary>
    ScoredQuestion ScoreQuestion(StepContext ctx, int[] promptIds, IReadOnlyList<SampledCompletion> samples)
    {
        var model = ctx.Model;
        int n = samples.Count;
        foreach (var sample in samples)
            if (promptIds.Length + sample.TokenIds.Length > model.ContextLength)
                throw new RlscException(ErrorCodes.SequenceTooLong,
                    $"prompt ({promptIds.Length} tokens) + completion ({sample.TokenIds.Length}) exceed the model's context of {model.ContextLength}; lower sampling.max_new_tokens.");

        var batches = MicroBatcher.Split(samples.Select(c => promptIds.Length + c.TokenIds.Length).ToList(), config.Training.MicroBatchTokens);
        var answers = samples.Select(c => AnswerExtractor.Extract(c.Text).Answer).ToList();
        var group = new QuestionGroup(answers, samples.Select(c => c.TokenIds.Length).ToList(), grader.AreEqual);

        // Coefficients that do not come from the model's scores (ttrl: answers; entropy: lengths) are known now.
        // Those that couple the samples through their scores (rlsc normalized/renormalize, self_certainty) come from a
        // no-grad pass over all N first when the N samples take several micro-batches; the same batches run the same
        // computation, so the values equal those the gradient pass sees.
        var all = Enumerable.Range(0, n).ToList();
        SampleSignals? allSignals = null;
        if (!objective.UsesScores)
            allSignals = objective.Signals(group, all, null);
        else if (objective.CouplesSamples && batches.Count > 1)
        {
            var parts = new List<(List<int> Rows, RowScores Scores)>();
            using var prepass = NewDisposeScope();
            using (no_grad())
                foreach (var rows in batches)
                {
                    ctx.Cancellation.ThrowIfCancellationRequested();
                    parts.Add((rows, scorer.Score(model, promptIds, samples, rows)));
                }
            allSignals = objective.Signals(group, all, RowScorer.Concatenate(parts, all));
        }
        // A group whose coefficients are all 0 (ttrl: no majority signal) contributes nothing: score it for the
        // metrics only, without building a graph.
        bool noSignal = allSignals is not null && allSignals.Coefficient.All(c => c == 0);
        return new ScoredQuestion(promptIds, samples, batches, answers, group, allSignals, noSignal);
    }

    /// <summary>
    /// 3. Compute the loss: forward with gradients over the step's questions, their micro-batches packed together
    /// (<see cref="QuestionPacks"/>: whole micro-batches, as many per forward as training.micro_batch_tokens holds), so a
    /// small model runs a few large passes instead of one small pass per question. Each question's loss is its own,
    /// from its own rows (the objective never sees another question's samples); each pack's losses are summed and
    /// back-propagated, so the step's gradient accumulates over all questions.
    /// </summary>
    IReadOnlyList<QuestionLoss> ComputeLosses(StepContext ctx, IReadOnlyList<ScoredQuestion> scored)
    {
        var model = ctx.Model;
        int count = scored.Count;
        var seqLogProb = scored.Select(q => new double[q.Samples.Count]).ToArray();
        var weight = scored.Select(q => new double[q.Samples.Count]).ToArray();
        var coefficient = scored.Select(q => new double[q.Samples.Count]).ToArray();
        var entropy = scored.Select(q => new double[q.Samples.Count]).ToArray();
        var loss = new double[count];
        var forwarded = new long[count];

        // Longest completions first, so that a pack's rows are padded to lengths close to their own.
        var units = scored.SelectMany((q, slot) => q.Batches.Select(rows => new QuestionPacks.Unit(slot, rows)))
            .OrderByDescending(u => u.Rows.Max(r => scored[u.Question].Samples[r].TokenIds.Length)).ToList();
        var packs = QuestionPacks.Pack(units, pack => scorer.ForwardTokens(model, Groups(scored, pack)), config.Training.MicroBatchTokens);
        for (int j = 0; j < packs.Count; j++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var pack = packs[j];
            string where = $"micro-batch {j + 1}/{packs.Count}";
            ctx.Report("training", $"{where} ({pack.Select(u => u.Question).Distinct().Count()} of {count} questions)");
            using var scope = NewDisposeScope();
            // A pack of questions that all lack a signal (ttrl without a majority) is scored for the metrics only, with no graph.
            bool anySignal = pack.Any(u => !scored[u.Question].NoSignal);
            using var gradientMode = anySignal ? enable_grad() : no_grad();
            var groups = Groups(scored, pack);
            long tokens = scorer.ForwardTokens(model, groups);
            var scores = scorer.Score(model, groups);
            Tensor? packLoss = null;
            long offset = 0;
            for (int u = 0; u < pack.Count; u++)
            {
                var unit = pack[u];
                var question = scored[unit.Question];
                var rows = unit.Rows;
                var part = scores.Slice(offset, rows.Count);
                offset += rows.Count;
                // The pack's tokens shared evenly (the first units take the remainder): the step's total stays exact.
                forwarded[unit.Question] += tokens / pack.Count + (u < tokens % pack.Count ? 1 : 0);
                var signals = question.Signals is { } all
                    ? new SampleSignals(rows.Select(r => all.Signal[r]).ToArray(), rows.Select(r => all.Coefficient[r]).ToArray())
                    : objective.Signals(question.Group, rows, part);
                if (!question.NoSignal)
                {
                    var c = tensor(signals.Coefficient).to(model.Device);
                    var questionLoss = ctx.Hook(objective.Loss(part, c, objective.Scale(question.Samples.Count, count)));
                    double value = questionLoss.detach().to_type(ScalarType.Float64).item<double>();
                    ctx.CheckLoss(value, $"question {unit.Question + 1}/{count}, {where}");
                    packLoss = packLoss is null ? questionLoss : packLoss + questionLoss;
                    loss[unit.Question] += value;
                }

                var seqValues = part.SequenceLogProbs().detach().to_type(ScalarType.Float64).cpu();
                var entropySums = part.Tokens.Entropy.sum(-1).to_type(ScalarType.Float64).cpu();
                for (int k = 0; k < rows.Count; k++)
                {
                    int i = rows[k];
                    seqLogProb[unit.Question][i] = seqValues[k].item<double>();
                    weight[unit.Question][i] = signals.Signal[k];
                    coefficient[unit.Question][i] = signals.Coefficient[k];
                    entropy[unit.Question][i] = entropySums[k].item<double>();
                }
            }
            packLoss?.backward();
        }
        return Enumerable.Range(0, count)
            .Select(slot => new QuestionLoss(loss[slot], seqLogProb[slot], weight[slot], coefficient[slot], entropy[slot], forwarded[slot]))
            .ToList();
    }

    static List<PromptCompletions> Groups(IReadOnlyList<ScoredQuestion> scored, IReadOnlyList<QuestionPacks.Unit> pack) =>
        pack.Select(u => RowScorer.Group(scored[u.Question].PromptIds, scored[u.Question].Samples, u.Rows)).ToList();

    /// <summary>4. Log: the question's samples.jsonl line and what the step's metrics are built from.</summary>
    QuestionOutcome Outcome(StepContext ctx, TrainingQuestion question, long seed, ScoredQuestion scored, QuestionLoss loss,
        double samplingSeconds, double trainingSeconds)
    {
        var (samples, answers) = (scored.Samples, scored.Answers);
        var agreement = AnswerAgreement.Of(answers, grader.AreEqual);
        var entries = samples.Select((c, i) => new CompletionLogEntry(i, c.Text, c.TokenIds, c.FinishReason, c.TokenIds.Length,
            loss.SequenceLogProbs[i], loss.Weights[i], loss.Coefficients[i], c.TokenIds.Length == 0 ? 0 : loss.EntropySums[i] / c.TokenIds.Length, answers[i])).ToList();
        var log = new SampleLogLine(ctx.Step, question.Index, question.Id, question.Text, seed, scored.PromptIds.Length,
            double.IsNaN(agreement.PairAgreement) ? null : agreement.PairAgreement, entries);
        return new QuestionOutcome(entries, loss.EntropySums.Sum(), loss.Loss, agreement, samplingSeconds, trainingSeconds,
            loss.ForwardTokens, log);
    }
}
