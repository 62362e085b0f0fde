using System.CommandLine;
using Rlsc.Runtime.Platform;

namespace Rlsc.Cli.Commands;

/// <summary>`rlsc doctor`: can this machine run the model? Versions, devices, threads, native fix.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Check that TorchSharp loads and print versions, devices, threads and the native-library fix.");
        CommandAction.Set(command, _ =>
        {
            var env = TorchEnvironment.Collect();
            Console.WriteLine($"rlsc         {typeof(DoctorCommand).Assembly.GetName().Version}");
            Console.WriteLine($".NET         {env.DotNet}");
            Console.WriteLine($"TorchSharp   {env.TorchSharp}");
            Console.WriteLine($"LibTorch     {env.LibTorch}");
            Console.WriteLine($"CPU          available: {env.Cpu}");
            Console.WriteLine($"CUDA         {(env.CudaAvailable ? "available: " + string.Join(", ", env.CudaDevices) + (env.CudaRuntime is null ? "" : $" (CUDA runtime {env.CudaRuntime})") : "not available")}");
            if (env.External is { } external)
            {
                // External mode: which libLibTorchSharp is bound to this LibTorch, and whether it was made for it.
                string agreement = external.VersionsAgree switch
                {
                    true => "the same version: it fits",
                    false => "another version: it links (no undefined symbols) but was not compiled for this LibTorch; build one with eng/libtorchsharp/build.sh if anything misbehaves",
                    null => "this LibTorch's version is unknown: it links (no undefined symbols)",
                };
                Console.WriteLine($"LibTorchSharp {external.LibTorchSharp}");
                Console.WriteLine($"Built for    LibTorch {external.LibTorchSharpBuiltFor}; {agreement}");
            }
            Console.WriteLine($"Threads      {env.Threads} (torch intra-op)");
            Console.WriteLine($"Native fix   {env.NativeFix.Describe()}");
            if (env.NativeFix.Library is not null)
                Console.WriteLine($"Library      {env.NativeFix.Library}");
            Console.WriteLine("OK: TorchSharp works.");
            return 0;
        });
        return command;
    }
}
