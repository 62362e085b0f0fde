namespace Rlsc.Core.Config;

/// <summary>The training loop (section `training`).</summary>
public sealed class FineTuneTrainingOptions
{
    /// <summary>Optimizer steps. 10: the paper's setting (it also reports 20).</summary>
    public int Steps { get; set; } = 10;

    /// <summary>
    /// Questions per optimizer step. 1: the paper's Algorithm 1 updates the model once per question. With more,
    /// the questions' gradients are accumulated (see loss.question_reduction) into one update.
    /// </summary>
    public int QuestionsPerStep { get; set; } = 1;

    /// <summary>
    /// Memory budget of one forward/backward pass, in tokens (padded sequences x their length). The N
    /// completions of a question are split into micro-batches within this budget and their gradients
    /// accumulated, so long completions fit in memory; the result equals one big batch up to float rounding.
    /// 4096: one 3k-token completion of a 7B model at a time (an estimate for 80 GB: activations without
    /// recomputation plus float32 log-probs over the 152k vocabulary). Lower it if the device runs out of memory.
    /// </summary>
    public int MicroBatchTokens { get; set; } = 4096;

    /// <summary>Save a checkpoint every K steps (0: only at the end). The final checkpoint is always saved.</summary>
    public int CheckpointEvery { get; set; } = 5;

    /// <summary>Write every sampled completion to samples.jsonl (text, token ids, weight, log-prob).</summary>
    public bool LogSamples { get; set; } = true;

    /// <summary>
    /// Experiment logs besides metrics.jsonl, as TRL's report_to: "tensorboard" writes TensorBoard event files to
    /// &lt;run&gt;/tensorboard (every metric per step, the configuration, the evaluation's figures). Empty: none.
    /// </summary>
    public List<string> ReportTo { get; set; } = [];
}
