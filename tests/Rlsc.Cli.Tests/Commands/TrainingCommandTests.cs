using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Json;
using Rlsc.Runtime.Tests.Training;

namespace Rlsc.Cli.Tests.Commands;

/// <summary>`rlsc finetune` and `rlsc sft` end to end on a tiny random Qwen2 model: exit codes, messages, signals.</summary>
[NonParallelizable]
public class TrainingCommandTests
{
    string dir = "";
    string model = "";
    string questions = "";

    [OneTimeSetUp]
    public void WriteModel()
    {
        dir = Directory.CreateTempSubdirectory("rlsc-traincli-").FullName;
        model = TinyQwen.Write(Path.Combine(dir, "base"), seed: 9, sharpness: 20);
        questions = Path.Combine(dir, "questions.jsonl");
        File.WriteAllLines(questions, ["{\"question\": \"1+1=?\"}", "{\"question\": \"2+5=?\"}", "{\"question\": \"3*3=?\"}"]);
    }

    [OneTimeTearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    string WriteConfig(string name, int steps)
    {
        string path = Path.Combine(dir, name + ".json");
        File.WriteAllText(path, $$"""
            {
              "model": {{JsonSerializer.Serialize(model)}},
              "device": "cpu",
              "data": { "suite": null, "file": {{JsonSerializer.Serialize(questions)}}, "prompt_template": "none" },
              "sampling": { "samples_per_question": 3, "max_new_tokens": 4 },
              "training": { "steps": {{steps}}, "checkpoint_every": 1 }
            }
            """);
        return path;
    }

    [Test]
    public void FinetunePlan_PrintsBothPlansAndWhetherTheyFit_AndTrainsNothing()
    {
        string output = Path.Combine(dir, "run-plan");
        string config = WriteConfig("plan", steps: 2);
        var (exit, stdout, stderr) = CliRunner.Run("finetune", "--config", config, "--output", output, "--plan", "--plan-device-gib", "64");
        Assert.That(exit, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("Memory plan, full fine-tuning:").And.Contain("Memory plan, LoRA"));
        Assert.That(stdout, Does.Contain("| **peak** |").And.Contain("fits in 64.00 GiB"));
        Assert.That(stdout, Does.Contain("3 samples x 4 new tokens"), "the plan is of this configuration");
        Assert.That(Directory.Exists(output), Is.False, "--plan trains nothing and writes no run folder");

        (exit, stdout, stderr) = CliRunner.Run("finetune", "--config", config, "--output", output, "--plan", "--plan-device-gib", "0.000001");
        Assert.That(exit, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("does NOT fit"));
    }

    [Test]
    public void FinetuneCompletesThenRefusesToOverwriteAndResumeIsANoOp()
    {
        string output = Path.Combine(dir, "run-a");
        string config = WriteConfig("a", steps: 2);
        var (exit, stdout, stderr) = CliRunner.Run("finetune", "--config", config, "--output", output, "--seed", "4", "--progress", "plain");
        Assert.That(exit, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("finetune completed: 2/2 steps").And.Contain("checkpoints/final"));
        Assert.That(stderr, Does.Contain("[finetune] step 1/2").And.Contain("[finetune] step 2/2").And.Not.Contain("\r"));
        var effective = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "config.json"))).RootElement;
        Assert.That(effective.GetProperty("seed").GetInt64(), Is.EqualTo(4), "flags are saved in the effective configuration");

        (exit, _, stderr) = CliRunner.Run("finetune", "--config", config, "--output", output, "--seed", "4");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("error RLSC050").And.Contain("--resume"));

        (exit, stdout, _) = CliRunner.Run("finetune", "--config", config, "--output", output, "--seed", "4", "--resume", "--progress", "none");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("completed: 2/2"));

        (exit, _, stderr) = CliRunner.Run("finetune", "--config", config, "--output", output, "--seed", "5", "--resume");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("error RLSC051").And.Contain("seed: 4 in the run, 5 now"));
    }

    [Test]
    public void ABadConfigurationIsOneCanonicalLine()
    {
        string config = Path.Combine(dir, "bad.json");
        File.WriteAllText(config, "{\n  \"sampling\": { \"temperature\": \"hot\" }\n}\n");
        var (exit, _, stderr) = CliRunner.Run("finetune", "--config", config);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr.Trim(), Does.StartWith($"{config}(2): error RLSC001: sampling.temperature: expected a number"));
    }

    [Test]
    public void SftTrainsFromADataFileAndFlags()
    {
        string data = Path.Combine(dir, "pairs.jsonl");
        File.WriteAllLines(data, ["{\"prompt\": \"1+1=\", \"completion\": \"2\"}", "{\"prompt\": \"2+2=\", \"completion\": \"4\"}"]);
        string output = Path.Combine(dir, "sft");
        var (exit, stdout, stderr) = CliRunner.Run("sft", "--data", data, "--model", model, "--output", output, "--epochs", "2", "--batch-size", "1",
            "--device", "cpu", "--lr", "1e-3", "--progress", "plain");
        Assert.That(exit, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("sft completed: 4/4 steps"));
        Assert.That(File.ReadLines(Path.Combine(output, "metrics.jsonl")).Count(), Is.EqualTo(4));
        var (missing, _, err) = CliRunner.Run("sft", "--data", data, "--output", Path.Combine(dir, "sft2"));
        Assert.That(missing, Is.EqualTo(1));
        Assert.That(err, Does.Contain("model is not set").And.Contain("--model"));
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    /// <summary>
    /// The real process: SIGINT (Ctrl+C, and what the MSBuild task sends) or SIGTERM (a cancelled CI job) while
    /// training stops after saving, exits 130 with the command that resumes, and that command finishes the run.
    /// </summary>
    [TestCase(2, 1, TestName = "SIGINT saves, exits 130, and the printed resume command finishes the run")]
    [TestCase(15, 1, TestName = "SIGTERM (a cancelled CI job) saves, exits 130, and the printed resume command finishes the run")]
    [TestCase(2, 2, TestName = "Two SIGINTs at once (terminal and build tool both forward Ctrl+C) still save and exit 130")]
    [UnsupportedOSPlatform("windows")]
    public void ASignalSavesExitsWith130AndTheResumeCommandFinishesTheRun(int signal, int times)
    {
        string output = Path.Combine(dir, $"run-signal-{signal}-{times}");
        // Enough steps that the signal, sent once step 2 is logged, lands mid-run: a tiny model's step takes ~15 ms,
        // and with 12 steps the run sometimes finished before the signal arrived.
        const int steps = 100;
        string config = WriteConfig($"signal-{signal}-{times}", steps: steps);
        string rlsc = Path.Combine(TestContext.CurrentContext.TestDirectory, "rlsc.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { rlsc, "finetune", "--config", config, "--output", output, "--progress", "plain" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        var stepDone = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.Contains($"[finetune] step 2/{steps}")) stepDone.Set();
        };
        process.BeginErrorReadLine();
        string stdout = "";
        var readOut = Task.Run(() => stdout = process.StandardOutput.ReadToEnd());
        Assert.That(stepDone.Wait(TimeSpan.FromMinutes(3)), Is.True, "two steps within 3 minutes: " + stderr);
        for (int i = 0; i < times; i++)
        {
            Assert.That(Kill(process.Id, signal), Is.EqualTo(0));
            Thread.Sleep(50);   // well inside InterruptSignal.DuplicateWindow
        }
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "rlsc stops after the signal");
        process.WaitForExit();
        readOut.Wait();

        string errors;
        lock (stderr) errors = stderr.ToString();
        Assert.That(process.ExitCode, Is.EqualTo(130), errors);
        Assert.That(errors, Does.Contain("error RLSC004: interrupted during step").And.Contain("Resume with: rlsc finetune --config"));
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))).RootElement;
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("interrupted"));
        int saved = summary.GetProperty("steps_completed").GetInt32();
        Assert.That(saved, Is.GreaterThanOrEqualTo(2));
        Assert.That(File.Exists(Path.Combine(output, $"checkpoints/step-{saved}/model.safetensors")));

        // The printed command, run as printed, finishes the run.
        string resume = errors[(errors.IndexOf("Resume with: rlsc ", StringComparison.Ordinal) + "Resume with: rlsc ".Length)..].Split('\n')[0].Trim();
        Assert.That(resume, Does.EndWith("--resume"));
        var (exit, finished, resumeErrors) = CliRunner.Run(resume.Split(' '));
        Assert.That(exit, Is.EqualTo(0), resumeErrors);
        Assert.That(finished, Does.Contain($"finetune completed: {steps}/{steps} steps"));
        Assert.That(File.ReadLines(Path.Combine(output, "metrics.jsonl")).Count(), Is.EqualTo(steps), "one metrics line per step across both sessions");
    }
}
