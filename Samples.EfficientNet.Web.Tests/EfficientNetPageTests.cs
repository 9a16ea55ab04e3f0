using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KernelGen.Samples.EfficientNet.Web.Tests;

/// <summary>EfficientNet-B0 in the page on the browser's WebGPU, against the PyTorch reference, and as a person uses it.</summary>
[Collection(PageCollection.Name)]
public sealed partial class EfficientNetPageTests(PageFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task FixtureWeightsAndInputs_InThePage_MatchReferenceLogits()
    {
        var reference = ReferenceFixture.Load();
        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");

        var weightsUrl = fixture.Server.Mount("/fixture/weights.f16.safetensors", ReferenceFixture.Weights);
        var referenceUrl = fixture.Server.Mount("/fixture/reference_io.safetensors", ReferenceFixture.ReferenceIo);
        // Through the form, as a person pasting a URL would (download with the progress bar, then parse, upload, compile).
        await page.FillAsync("#weights-url", weightsUrl);
        await page.ClickAsync("#weights-load");
        await Assertions.Expect(page.Locator("#weights-status")).ToContainTextAsync("Loaded weights.f16.safetensors", new() { Timeout = 180_000 });
        Assert.Equal(await page.GetAttributeAsync("#weights-progress", "max"), await page.EvaluateAsync<string>("() => String(document.getElementById('weights-progress').value)"));
        var result = await page.EvaluateAsync<JsonElement>("url => globalThis.kernelgen.test.referenceLogits(url)", referenceUrl);
        Assert.True(result.GetProperty("ok").GetBoolean(), $"the network failed in the page: {result}\n{string.Join('\n', console)}");

        var logits = BrowserBackendTests.Floats(result, "logits");
        Assert.Equal(reference.Logits.Length, logits.Length);
        var maxAbs = 0f;
        for (var i = 0; i < logits.Length; i++) maxAbs = Math.Max(maxAbs, Math.Abs(logits[i] - reference.Logits[i]));
        var times = result.GetProperty("milliseconds").EnumerateArray().Select(t => t.GetDouble()).ToArray();
        output.WriteLine($"{reference.Images} images: max |logit - reference| = {maxAbs:E2}; forward ms per image: {string.Join(", ", times.Select(t => t.ToString("F0")))}; " +
            $"weights: {await page.InnerTextAsync("#weights-status")}");
        Assert.True(maxAbs <= 1e-3f, $"max abs logit difference {maxAbs} exceeds 1e-3");
        for (var image = 0; image < reference.Images; image++)
            Assert.Equal(reference.Top1(image), ReferenceFixture.ArgMax(logits.AsSpan(image * 1000, 1000)));
    }

    [Fact]
    public async Task Person_ChoosesAnImage_ReadsTheClassTop5AndTime()
    {
        var reference = ReferenceFixture.Load();
        // The reference image whose answer 8-bit rounding of its pixels is least able to change.
        var image = Enumerable.Range(0, reference.Images).MaxBy(reference.Margin);
        var expected = reference.ClassNames[reference.Top1(image)];
        var png = await WritePng(reference, image);

        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");
        // The person chooses the weights file, then an image file.
        await page.Locator("#weights-file").SetInputFilesAsync(ReferenceFixture.Weights);
        await Assertions.Expect(page.Locator("#weights-status")).ToContainTextAsync("Loaded weights.f16.safetensors", new() { Timeout = 180_000 });

        await page.Locator("#image-file").SetInputFilesAsync(png);
        await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync(new() { Timeout = 180_000 });

        var answer = await page.InnerTextAsync("#answer");
        Assert.Equal($"The image contains a — {expected}", answer);
        var top5 = await page.Locator("#top5 li").AllInnerTextsAsync();
        Assert.Equal(5, top5.Count);
        Assert.StartsWith(expected, top5[0], StringComparison.Ordinal);
        var timing = await page.InnerTextAsync("#timing");
        var match = TimingPattern().Match(timing);
        Assert.True(match.Success, $"unexpected timing line: '{timing}'");
        Assert.Equal(start.GetProperty("adapter").GetString(), match.Groups["adapter"].Value);
        Assert.True(await page.Locator("#preview").IsVisibleAsync());

        var shot = Path.Combine(PageFixture.ArtifactDir, "efficientnet-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"answer: {answer}; {timing}; screenshot: {shot}");

        // Then drops another image onto the page (a drop event carrying a file, as a drag from the desktop makes).
        var second = Enumerable.Range(0, reference.Images).Where(i => reference.Top1(i) != reference.Top1(image)).MaxBy(reference.Margin);
        var secondUrl = fixture.Server.Mount($"/drop-{second}.png", await WritePng(reference, second));
        await page.EvaluateAsync("""
            async url => {
                const blob = await (await fetch(url)).blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "dropped.png", { type: "image/png" }));
                document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            }
            """, secondUrl);
        await Assertions.Expect(page.Locator("#answer")).ToHaveTextAsync($"The image contains a — {reference.ClassNames[reference.Top1(second)]}", new() { Timeout = 180_000 });
        Assert.Equal("dropped.png", await page.GetAttributeAsync("#preview", "alt"));
    }

    [Fact]
    public async Task BadFiles_ShowClearErrorsNamingTheFile()
    {
        Directory.CreateDirectory(PageFixture.ArtifactDir);
        var notWeights = Path.Combine(PageFixture.ArtifactDir, "notes.safetensors");
        await File.WriteAllTextAsync(notWeights, "these are not weights");
        var notImage = Path.Combine(PageFixture.ArtifactDir, "notes.png");
        await File.WriteAllTextAsync(notImage, "this is not an image");

        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");

        // An image before any weights: the page asks for weights first.
        await page.Locator("#image-file").SetInputFilesAsync(notImage);
        await Assertions.Expect(page.Locator("#image-status")).ToHaveTextAsync("Load the weights first (above).");

        // A file that is not a safetensors file: the sample's reader says what is wrong, naming the file.
        await page.Locator("#weights-file").SetInputFilesAsync(notWeights);
        await Assertions.Expect(page.Locator("#weights-status")).ToHaveClassAsync("status error", new() { Timeout = 60_000 });
        var weightsError = await page.InnerTextAsync("#weights-status");
        Assert.Contains("notes.safetensors", weightsError, StringComparison.Ordinal);

        // A URL that does not exist.
        await page.FillAsync("#weights-url", fixture.Server.Url("missing.safetensors"));
        await page.ClickAsync("#weights-load");
        await Assertions.Expect(page.Locator("#weights-status")).ToContainTextAsync("HTTP 404", new() { Timeout = 60_000 });

        // Real weights, then a file that is not an image.
        await page.Locator("#weights-file").SetInputFilesAsync(ReferenceFixture.Weights);
        await Assertions.Expect(page.Locator("#weights-status")).ToContainTextAsync("Loaded weights.f16.safetensors", new() { Timeout = 180_000 });
        await page.Locator("#image-file").SetInputFilesAsync(notImage);
        await Assertions.Expect(page.Locator("#image-status")).ToContainTextAsync("not an image the browser can decode", new() { Timeout = 60_000 });
        Assert.False(await page.Locator("#result").IsVisibleAsync());
        output.WriteLine($"weights error shown: {weightsError}");
    }

    internal static async Task<string> WritePng(ReferenceFixture reference, int image)
    {
        Directory.CreateDirectory(PageFixture.ArtifactDir);
        var png = Path.Combine(PageFixture.ArtifactDir, $"reference-image-{image}.png");
        await File.WriteAllBytesAsync(png, reference.ToPng(image));
        return png;
    }

    [GeneratedRegex(@"^Computed in (?<ms>\d+) ms on (?<adapter>.+)\.$")]
    private static partial Regex TimingPattern();
}
