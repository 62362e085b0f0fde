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
/// its gradient (<see cref="QuestionLoss"/>), log (<see cref="QuestionOutcome"/>).
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

        // Then a question at a time: score (2), compute the loss and its gradient (3), log (4). Scoring stays next to
        // its question's backward rather than running for all questions first, so one question's scores are held at a
        // time and the tensor operations run in the order they always have.
        var outcomes = new List<QuestionOutcome>(count);
        for (int slot = 0; slot < count; slot++)
        {
            string where = $"question {slot + 1}/{count}";
            long trainingStarted = Stopwatch.GetTimestamp();
            var scored = ScoreQuestion(ctx, prompts[slot], sampled[slot]);
            var loss = ComputeLoss(ctx, scored, count, where);
            double trainingSeconds = Stopwatch.GetElapsedTime(trainingStarted).TotalSeconds;
            var outcome = Outcome(ctx, stepQuestions[slot], requests[slot].Seed, scored, loss, samplingSeconds, trainingSeconds);
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
    /// 3. Compute the loss: forward with gradients in micro-batches; the loss of each is back-propagated, so the
    /// question's gradient accumulates over its N samples.
    /// </summary>
    QuestionLoss ComputeLoss(StepContext ctx, ScoredQuestion scored, int questionsInStep, string where)
    {
        var model = ctx.Model;
        var (promptIds, samples, batches, allSignals) = (scored.PromptIds, scored.Samples, scored.Batches, scored.Signals);
        int n = samples.Count;
        double scale = objective.Scale(n, questionsInStep);
        var seqLogProb = new double[n];
        var weight = new double[n];
        var coefficient = new double[n];
        var entropy = new double[n];

        double loss = 0;
        for (int j = 0; j < batches.Count; j++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            ctx.Report("training", $"{where}, micro-batch {j + 1}/{batches.Count}");
            var rows = batches[j];
            using var scope = NewDisposeScope();
            using var gradientMode = scored.NoSignal ? no_grad() : enable_grad();
            var scores = scorer.Score(model, promptIds, samples, rows);
            var signals = allSignals is null
                ? objective.Signals(scored.Group, rows, scores)
                : new SampleSignals(rows.Select(r => allSignals.Signal[r]).ToArray(), rows.Select(r => allSignals.Coefficient[r]).ToArray());
            if (!scored.NoSignal)
            {
                var c = tensor(signals.Coefficient).to(model.Device);
                var batchLoss = ctx.Hook(objective.Loss(scores, c, scale));
                double value = batchLoss.detach().to_type(ScalarType.Float64).item<double>();
                ctx.CheckLoss(value, $"{where}, micro-batch {j + 1}");
                batchLoss.backward();
                loss += value;
            }

            var seqValues = scores.SequenceLogProbs().detach().to_type(ScalarType.Float64).cpu();
            var entropySums = scores.Tokens.Entropy.sum(-1).to_type(ScalarType.Float64).cpu();
            for (int k = 0; k < rows.Count; k++)
            {
                int i = rows[k];
                seqLogProb[i] = seqValues[k].item<double>();
                weight[i] = signals.Signal[k];
                coefficient[i] = signals.Coefficient[k];
                entropy[i] = entropySums[k].item<double>();
            }
        }
        return new QuestionLoss(loss, seqLogProb, weight, coefficient, entropy);
    }

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
            scored.PaddedTokens, log);
    }
}
