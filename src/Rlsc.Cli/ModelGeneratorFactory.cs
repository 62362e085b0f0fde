using Rlsc.Evaluation;

namespace Rlsc.Cli;

/// <summary>Turns `rlsc eval --model` into a response generator (wired to the model runtime when it lands).</summary>
public static class ModelGeneratorFactory
{
    public static IResponseGenerator Create(string model, string device, string? dtype, string? name, int batchSize) =>
        throw new RlscException(ErrorCodes.InvalidArgument,
            $"generating mode (--model {name ?? model}) needs the model runtime, which this build does not have yet; " +
            $"grade responses produced elsewhere with --predictions. (device {device}, dtype {dtype ?? "default"}, batch {batchSize})");
}
