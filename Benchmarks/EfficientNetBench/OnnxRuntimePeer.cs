using Microsoft.ML.OnnxRuntime;

namespace KernelGen.Benchmarks.EfficientNet;

/// <summary>
/// The peer: ONNX Runtime's CPU execution provider on the fixture's <c>model.onnx</c> (input <c>input</c>
/// [N,3,224,224], output <c>logits</c> [N,1000]). Input and output tensors wrap preallocated arrays, so
/// a timed call is <c>session.Run</c> alone.
/// </summary>
public sealed class OnnxRuntimePeer : IDisposable
{
    private readonly InferenceSession session;
    private readonly SessionOptions options;
    private readonly RunOptions runOptions = new();
    private readonly string inputName;
    private readonly string outputName;

    /// <summary>Opens <paramref name="modelPath"/> with full graph optimisation.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="intraOpThreads">Threads for one operator; 0 keeps ONNX Runtime's default (one per core).</param>
    public OnnxRuntimePeer(string modelPath, int intraOpThreads)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = intraOpThreads };
        session = new InferenceSession(modelPath, options);
        inputName = session.InputMetadata.Keys.First();
        outputName = session.OutputMetadata.Keys.First();
        IntraOpThreads = intraOpThreads;
    }

    /// <summary>Threads per operator as configured (0 = ONNX Runtime's default).</summary>
    public int IntraOpThreads { get; }

    /// <summary>"ONNX Runtime 1.x CPU".</summary>
    public static string Name => $"ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version?.ToString(3)} CPU";

    /// <summary>Binds <paramref name="input"/> ([batch,3,224,224]) and <paramref name="logits"/> ([batch,1000]) and returns the call that runs the network once.</summary>
    public Bound Bind(float[] input, float[] logits, int batch) => new(this, input, logits, batch);

    /// <inheritdoc/>
    public void Dispose()
    {
        session.Dispose();
        options.Dispose();
        runOptions.Dispose();
    }

    /// <summary>Preallocated input and output tensors for one batch size.</summary>
    public sealed class Bound : IDisposable
    {
        private readonly OnnxRuntimePeer peer;
        private readonly OrtValue input;
        private readonly OrtValue output;
        private readonly string[] inputNames;
        private readonly string[] outputNames;
        private readonly OrtValue[] inputs;
        private readonly OrtValue[] outputs;

        internal Bound(OnnxRuntimePeer peer, float[] inputData, float[] logits, int batch)
        {
            this.peer = peer;
            input = OrtValue.CreateTensorValueFromMemory(inputData, [batch, 3, 224, 224]);
            output = OrtValue.CreateTensorValueFromMemory(logits, [batch, 1000]);
            inputNames = [peer.inputName];
            outputNames = [peer.outputName];
            inputs = [input];
            outputs = [output];
        }

        /// <summary>Runs the network once, writing the logits array given to <see cref="Bind"/>.</summary>
        public void Run() => peer.session.Run(peer.runOptions, inputNames, inputs, outputNames, outputs);

        /// <inheritdoc/>
        public void Dispose()
        {
            input.Dispose();
            output.Dispose();
        }
    }
}
