using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// The learning rate of each step, a pure function of the step number (so resuming needs no scheduler state):
/// linear warm-up over optimizer.warmup_steps, then constant, linear or cosine decay to
/// final_learning_rate_ratio x peak at the last step.
/// </summary>
public static class LearningRateScheduler
{
    /// <param name="step">1-based step number.</param>
    /// <param name="totalSteps">Steps of the whole run.</param>
    public static double At(int step, int totalSteps, OptimizationOptions o)
    {
        double peak = o.LearningRate;
        int warmup = o.WarmupSteps;
        // 1-based: the first warm-up step already learns (peak / warmup), the last one runs at the peak.
        if (step <= warmup) return peak * step / warmup;
        int decaySteps = totalSteps - warmup;
        double progress = decaySteps <= 1 ? 0 : (double)(step - warmup - 1) / (decaySteps - 1);   // 0 at the first, 1 at the last step
        double floor = o.FinalLearningRateRatio;
        return o.Schedule switch
        {
            LearningRateSchedule.Constant => peak,
            LearningRateSchedule.Linear => peak * (1 - (1 - floor) * progress),
            LearningRateSchedule.Cosine => peak * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress))),
            _ => throw new ArgumentOutOfRangeException(nameof(o), o.Schedule, "unknown learning-rate schedule"),
        };
    }
}
