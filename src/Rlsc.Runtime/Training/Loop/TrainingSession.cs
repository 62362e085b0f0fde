using System.Diagnostics;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// What every training run shares, whatever its loss (RLSC, SFT): the run folder, the model (with LoRA when
/// configured), the optimizer, the data order, and the step loop — learning-rate schedule, gradient clipping,
/// NaN/Inf checks, checkpoints, Ctrl+C/SIGTERM, metrics.jsonl and summary.json. A trainer supplies only the
/// body of a step: its forward and backward passes.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    readonly IRunConfig config;
    readonly TrainingRunOptions run;
    readonly RunFolder folder;
    readonly Checkpoint? from;
    readonly string dataFingerprint;
    readonly TrainedState state;
    readonly ModelPlacement placement;
    readonly bool shuffleOrder;
    readonly Stopwatch clock = Stopwatch.StartNew();
    long tokensTrained;

    TrainingSession(TrainingSessionOptions options, TrainingRunOptions run, RunFolder folder, Checkpoint? from)
    {
        Kind = options.Kind;
        config = options.Config;
        this.run = run;
        this.folder = folder;
        this.from = from;
        dataFingerprint = options.DataFingerprint;
        shuffleOrder = options.Shuffle;
        TotalSteps = options.TotalSteps;
        CheckpointEvery = options.CheckpointEvery;
        StartStep = from?.State.Step ?? 0;
        tokensTrained = from?.State.TokensTrained ?? 0;

        Order = new ExampleOrder(options.ExampleCount, config.Seed, options.Shuffle, from?.State.ExamplesSeen ?? 0);
        if (from is not null) CheckResumable(from.State, options.ExampleCount);

        Report("loading", config.Model);
        placement = ModelPlacement.Resolve(config);
        state = TrainedState.Load(config, from, placement, run.LoadModel ?? CausalLmTrainable.Load, CancellationToken.None);
    }

    public string Kind { get; }
    public int TotalSteps { get; }
    public int CheckpointEvery { get; }

    /// <summary>Steps already done when this session started (0, or the resumed checkpoint's step).</summary>
    public int StartStep { get; }

    public ITrainableModel Model => state.Model;
    public ExampleOrder Order { get; }
    public RunFolder Folder => folder;
    internal TrainingHooks? Hooks => run.Hooks;
    internal IProgress<TrainingProgress>? Progress => run.Progress;

    /// <summary>
    /// Opens (or resumes) a run. Returns null, with <paramref name="completed"/> set, when resuming a run that
    /// already completed: there is nothing left to do.
    /// </summary>
    public static TrainingSession? Open(TrainingSessionOptions options, TrainingRunOptions run, out RunSummary? completed)
    {
        TorchLoader.EnsureLoaded();
        // Training frees and reallocates the same large tensors every step: keep that memory instead of remapping it.
        NativeHeap.KeepFreedMemory();
        var (kind, config, totalSteps) = (options.Kind, options.Config, options.TotalSteps);
        var (folder, from) = RunFolder.Open(config.Output, options.EffectiveConfigJson, run.Resume);
        completed = null;
        if (from is not null && from.State.Step >= totalSteps && Path.GetFileName(from.Directory) == CheckpointStore.FinalName)
        {
            completed = RunSummary.TryRead(folder.SummaryFile) ?? new RunSummary
            {
                Kind = kind, Status = "completed", Model = config.Model, StepsCompleted = from.State.Step, Steps = totalSteps,
                FinalCheckpoint = Path.GetRelativePath(folder.Root, from.Directory), LastCheckpoint = Path.GetRelativePath(folder.Root, from.Directory),
                Seconds = from.State.ElapsedSeconds, FinishedAt = from.State.SavedAt,
            };
            run.Progress?.Report(new TrainingProgress(kind, from.State.Step, totalSteps, "done", "already completed"));
            return null;
        }
        return new TrainingSession(options, run, folder, from);
    }

    /// <summary>
    /// Runs the remaining steps. Each step: set the learning rate, zero the gradients, run the body (forward and
    /// backward passes), measure and clip the gradient norm, stop on NaN/Inf, update, log, checkpoint.
    /// </summary>
    /// <param name="stepLog">Also receives every step's metrics (training.report_to), or null.</param>
    public RunSummary Run(Func<StepContext, StepReport> body, CancellationToken cancellation, IStepMetricsLog? stepLog = null)
    {
        int completed = StartStep;
        long positionAfterCompleted = Order.Position;
        string? lastCheckpoint = from is null ? null : Relative(from.Directory);
        var lastMetrics = new Dictionary<string, double>();
        using var metricsLog = new JsonlWriter(folder.MetricsFile);
        try
        {
            for (int step = StartStep + 1; step <= TotalSteps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                var started = clock.Elapsed;
                double lr = LearningRateScheduler.At(step, TotalSteps, config.Optimizer);
                state.Optimizer.SetLearningRate(lr);
                state.Optimizer.ZeroGrad();

                var report = body(new StepContext(this, step, cancellation));
                run.Hooks?.AfterBackward?.Invoke(step, Model);
                cancellation.ThrowIfCancellationRequested();

                Report("optimizer", null, step);
                var beforeUpdate = clock.Elapsed;
                double gradNorm = state.Optimizer.ClipGradients();
                if (!double.IsFinite(gradNorm))
                    throw Diverged(step, $"the gradient norm is {gradNorm}");
                state.Optimizer.Step();
                state.Optimizer.ZeroGrad();   // frees the gradients' memory until the next step
                var finished = clock.Elapsed;

                completed = step;
                positionAfterCompleted = Order.Position;
                tokensTrained += report.TokensTrained;
                var metrics = new Dictionary<string, double>(report.Metrics)
                {
                    ["train/learning_rate"] = lr,
                    ["train/grad_norm"] = gradNorm,
                    ["time/optimizer_seconds"] = (finished - beforeUpdate).TotalSeconds,
                    ["time/step_seconds"] = (finished - started).TotalSeconds,
                };
                metricsLog.Write(MetricsLine(step, Order.Epoch, metrics));
                stepLog?.Write(step, Order.Epoch, metrics);
                lastMetrics = metrics;
                run.Progress?.Report(new TrainingProgress(Kind, step, TotalSteps, "step", null, metrics));
                run.Hooks?.AfterStep?.Invoke(step);

                if (CheckpointEvery > 0 && step % CheckpointEvery == 0 && step < TotalSteps)
                    lastCheckpoint = Relative(SaveCheckpoint($"step-{step}", step, positionAfterCompleted).Directory);
            }

            var final = SaveCheckpoint(CheckpointStore.FinalName, TotalSteps, positionAfterCompleted);
            var summary = Summary("completed", null, completed, lastMetrics, Relative(final.Directory), Relative(final.Directory));
            Report("done", Relative(final.Directory), TotalSteps);
            return summary;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The current step is abandoned: its gradients are dropped and the weights are those of the last completed step.
            state.Optimizer.ZeroGrad();
            lastCheckpoint = SaveCompleted(completed, positionAfterCompleted, lastCheckpoint);
            string where = lastCheckpoint is null
                ? "no step had completed, so there is no checkpoint; resuming starts from the beginning"
                : $"{lastCheckpoint} holds step {completed}";
            string message = $"interrupted during step {completed + 1} of {TotalSteps}; {where}. Resume with: {ResumeCommand}";
            Summary("interrupted", $"{ErrorCodes.Interrupted}: {message}", completed, lastMetrics, null, lastCheckpoint);
            throw new RlscException(ErrorCodes.Interrupted, message);
        }
        catch (System.Runtime.InteropServices.ExternalException e) when (IsOutOfMemory(e))
        {
            state.Optimizer.ZeroGrad();
            string message = $"the device ran out of memory during step {completed + 1}: lower training.micro_batch_tokens, " +
                             $"the samples per question or max_new_tokens, or enable lora; then resume with: {ResumeCommand}";
            lastCheckpoint = TrySaveCompleted(completed, positionAfterCompleted, lastCheckpoint);
            Summary("failed", $"{ErrorCodes.TrainingOutOfMemory}: {message}", completed, lastMetrics, null, lastCheckpoint);
            throw new RlscException(ErrorCodes.TrainingOutOfMemory, message, folder.Root, inner: e);
        }
        catch (Exception e) when (e is not RlscException and not OperationCanceledException)
        {
            // Unexpected: record it in summary.json (best effort) and let it surface with its stack trace.
            Summary("failed", $"{e.GetType().Name}: {e.Message}", completed, lastMetrics, null, lastCheckpoint);
            throw;
        }
        catch (RlscException e) when (e.Code == ErrorCodes.TrainingDiverged)
        {
            state.Optimizer.ZeroGrad();
            lastCheckpoint = SaveCompleted(completed, positionAfterCompleted, lastCheckpoint);
            string message = e.Message + (lastCheckpoint is null
                ? " No step had completed, so there is no checkpoint."
                : $" The last good checkpoint is {lastCheckpoint} (step {completed}); lower optimizer.learning_rate or set optimizer.max_grad_norm, then resume with: {ResumeCommand}");
            Summary("failed", $"{e.Code}: {message}", completed, lastMetrics, null, lastCheckpoint);
            throw new RlscException(e.Code, message, folder.Root, inner: e);
        }
    }

    string ResumeCommand => run.ResumeCommand ?? $"rlsc {Kind} --output \"{folder.Root}\" --resume";

    /// <summary>Saves the completed steps when they are newer than the last checkpoint; returns the newest checkpoint.</summary>
    string? SaveCompleted(int completed, long position, string? lastCheckpoint)
    {
        int saved = lastCheckpoint is null ? 0 : folder.Checkpoints.Latest()?.State.Step ?? 0;
        if (completed <= saved || completed == 0) return lastCheckpoint;
        return Relative(SaveCheckpoint($"step-{completed}", completed, position).Directory);
    }

    /// <summary>After running out of memory, saving may fail too: then the last checkpoint stands.</summary>
    string? TrySaveCompleted(int completed, long position, string? lastCheckpoint)
    {
        try
        {
            return SaveCompleted(completed, position, lastCheckpoint);
        }
        catch (System.Runtime.InteropServices.ExternalException)
        {
            return lastCheckpoint;
        }
    }

    static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) ||
        e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase);

    Checkpoint SaveCheckpoint(string name, int step, long examplesSeen)
    {
        Report("checkpoint", name, step);
        var trainerState = new TrainerState
        {
            Kind = Kind,
            Step = step,
            TotalSteps = TotalSteps,
            Seed = config.Seed,
            ExamplesSeen = examplesSeen,
            Epoch = (int)(examplesSeen / Order.Count),
            Permutation = [.. PermutationAt(examplesSeen)],
            ConfigSha256 = folder.ConfigSha256,
            DataSha256 = dataFingerprint,
            Lora = state.Lora is not null,
            LoraModules = state.Lora is null ? [] : [.. state.Lora.ModuleNames],
            ElapsedSeconds = (from?.State.ElapsedSeconds ?? 0) + clock.Elapsed.TotalSeconds,
            TokensTrained = tokensTrained,
            Device = placement.Device,
        };
        return folder.Checkpoints.Save(name, trainerState, state.WriteModel, state.WriteResumeState);
    }

    IReadOnlyList<int> PermutationAt(long position) =>
        new ExampleOrder(Order.Count, config.Seed, shuffleOrder, position).CurrentPermutation;

    void CheckResumable(TrainerState saved, int exampleCount)
    {
        if (saved.Kind != Kind)
            throw new RlscException(ErrorCodes.CheckpointUnreadable, $"the checkpoint is from a {saved.Kind} run, not {Kind}.", from!.Directory);
        if (saved.TotalSteps != TotalSteps)
            throw new RlscException(ErrorCodes.ResumeConfigMismatch, $"the checkpoint belongs to a run of {saved.TotalSteps} steps, this one has {TotalSteps}.", from!.Directory);
        if (saved.DataSha256 != dataFingerprint || !saved.Permutation.SequenceEqual(Order.CurrentPermutation))
            throw new RlscException(ErrorCodes.ResumeConfigMismatch,
                $"the training data changed since the checkpoint was saved ({exampleCount} examples now); a resumed run must see the same data. Restore the data or start a new run.",
                from!.Directory);
    }

    RunSummary Summary(string status, string? error, int completed, Dictionary<string, double> metrics, string? final, string? last)
    {
        var summary = new RunSummary
        {
            Kind = Kind,
            Status = status,
            Error = error,
            Model = config.Model,
            StepsCompleted = completed,
            Steps = TotalSteps,
            FinalCheckpoint = final,
            LastCheckpoint = last,
            ResumeCommand = status == "completed" ? null : ResumeCommand,
            Seconds = (from?.State.ElapsedSeconds ?? 0) + clock.Elapsed.TotalSeconds,
            LastMetrics = metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(),
            FinishedAt = DateTimeOffset.UtcNow,
        };
        summary.Write(folder.SummaryFile);
        return summary;
    }

    static Dictionary<string, object> MetricsLine(int step, int epoch, Dictionary<string, double> metrics)
    {
        var line = new Dictionary<string, object> { ["step"] = step, ["epoch"] = epoch };
        foreach (var (key, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) line[key] = value;
        return line;
    }

    RlscException Diverged(int step, string what) =>
        new(ErrorCodes.TrainingDiverged, $"training diverged at step {step}: {what}; the update was not applied.");

    /// <summary>Throws the NaN/Inf error for a loss value; a trainer calls it before each backward pass.</summary>
    public void CheckLoss(int step, double loss, string where)
    {
        if (!double.IsFinite(loss)) throw Diverged(step, $"the loss is {loss} ({where})");
    }

    string Relative(string path) => Path.GetRelativePath(folder.Root, path);

    void Report(string phase, string? detail, int? step = null) =>
        run.Progress?.Report(new TrainingProgress(Kind, step ?? StartStep, TotalSteps, phase, detail));

    public void Dispose() => state.Dispose();
}
