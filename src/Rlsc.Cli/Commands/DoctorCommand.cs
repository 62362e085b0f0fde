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
            Console.WriteLine($"CUDA         {(env.CudaAvailable ? "available: " + string.Join(", ", env.CudaDevices) : "not available")}");
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
