namespace Rlsc.Core.Config;

/// <summary>
/// Where a model runs, spelled the same way by every front door (the `--device` of rlsc, the tasks' Device, the
/// Cake `--device`): <c>auto</c> (CUDA when this process has it, else the CPU), <c>cpu</c>, <c>cuda</c> or
/// <c>cuda:N</c>. Parsed here once; the runtime resolves <c>auto</c> when it knows whether CUDA is available.
/// </summary>
public readonly record struct DeviceName
{
    /// <summary>The accepted spellings, for messages.</summary>
    public const string Accepted = "auto, cpu, cuda or cuda:N";

    /// <summary>The values a command-line option lists (cuda:N aside).</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["auto", "cpu", "cuda"];

    public static readonly DeviceName Auto = new("auto", null);
    public static readonly DeviceName Cpu = new("cpu", null);
    public static readonly DeviceName Cuda = new("cuda", null);

    DeviceName(string kind, int? index)
    {
        Kind = kind;
        Index = index;
    }

    /// <summary>"auto", "cpu" or "cuda".</summary>
    public string Kind { get; }
    /// <summary>The N of cuda:N; null for the default CUDA device.</summary>
    public int? Index { get; }
    public bool IsAuto => Kind == "auto";
    public bool IsCuda => Kind == "cuda";

    public static bool TryParse(string? text, out DeviceName device)
    {
        string name = (text ?? "").Trim().ToLowerInvariant();
        device = name switch
        {
            "auto" => Auto,
            "cpu" => Cpu,
            "cuda" => Cuda,
            _ => default,
        };
        if (device.Kind is not null) return true;
        if (name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name[5..], out int index) && index >= 0)
        {
            device = new DeviceName("cuda", index);
            return true;
        }
        return false;
    }

    /// <summary>The device <paramref name="text"/> names; RLSC001 naming <paramref name="field"/> otherwise.</summary>
    public static DeviceName Parse(string? text, string field = "device") =>
        TryParse(text, out var device) ? device
            : throw new RlscException(ErrorCodes.InvalidArgument, $"{field} '{text}' is not valid; expected {Accepted}.");

    /// <summary>The concrete device: auto becomes cuda when <paramref name="cudaAvailable"/>, else cpu.</summary>
    public DeviceName Resolve(bool cudaAvailable) => IsAuto ? (cudaAvailable ? Cuda : Cpu) : this;

    public override string ToString() => Index is { } i ? $"{Kind}:{i}" : Kind ?? "";
}
