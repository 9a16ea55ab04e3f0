using System.Text;
using System.Text.Json;

namespace KernelGen.Samples.EfficientNet.Web;

/// <summary>Writes the small JSON answers the page reads (no reflection: trimming keeps nothing it does not see).</summary>
internal static class JsonText
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void WriteArray(this Utf8JsonWriter writer, string name, ReadOnlySpan<float> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteNumberValue(v);
        writer.WriteEndArray();
    }

    public static string Error(Exception e) => Write(w =>
    {
        w.WriteBoolean("ok", false);
        w.WriteString("error", e.GetType().Name);
        w.WriteString("reason", e.Message);
    });
}
