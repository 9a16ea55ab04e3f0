// Lists what Dawn's Vulkan adapter offers for chromium-experimental-subgroup-matrix (cooperative matrices):
// the adapter's features without and with the toggles allow_unsafe_apis (instance) and use_vulkan_memory_model
// (adapter), and the subgroup-matrix configurations that wgpuAdapterGetInfo reports through a chained
// WGPUAdapterPropertiesSubgroupMatrixConfigs. Declarations are the few of Dawn's webgpu.h (June 2025) it needs;
// the sType of the configs struct moved between Dawn versions, so candidates are tried and each result printed.
// Build: gcc -O1 -o probe subgroup_matrix_probe.c -ldl ; run: ./probe path/to/libwebgpu_wrapper.so
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { const char* data; size_t length; } SV;
typedef struct Chain { const struct Chain* next; uint32_t sType; } Chain;
typedef struct { Chain chain; size_t enabledCount; const char* const* enabled; size_t disabledCount; const char* const* disabled; } Toggles;
typedef struct { const Chain* next; struct { const Chain* next; uint32_t timedWaitAnyEnable; size_t timedWaitAnyMaxCount; } caps; } InstanceDesc;
typedef struct { const Chain* next; uint32_t featureLevel, powerPreference, forceFallbackAdapter, backendType; void* surface; } AdapterOptions;
typedef void (*AdapterCb)(uint32_t status, void* adapter, SV message, void* ud1, void* ud2);
typedef struct { const Chain* next; uint32_t mode; AdapterCb callback; void* ud1; void* ud2; } CallbackInfo;
typedef struct { uint64_t id; } Future;
typedef struct { Future future; uint32_t completed; } FutureWaitInfo;
typedef struct { size_t count; const uint32_t* features; } SupportedFeatures;
typedef struct { Chain* next; SV vendor, architecture, device, description; uint32_t backendType, adapterType, vendorID, deviceID, subgroupMin, subgroupMax; } AdapterInfo;
typedef struct { Chain chain; size_t configCount; const uint32_t* configs; } MatrixConfigs; // config: componentType, resultComponentType, M, N, K (u32 each)

static void* (*createInstance)(const InstanceDesc*);
static Future (*requestAdapter)(void*, const AdapterOptions*, CallbackInfo);
static uint32_t (*waitAny)(void*, size_t, FutureWaitInfo*, uint64_t);
static void (*getFeatures)(void*, SupportedFeatures*);
static uint32_t (*getInfo)(void*, AdapterInfo*);

static void got(uint32_t status, void* adapter, SV message, void* ud1, void* ud2) {
    (void)ud2;
    if (status != 1) printf("  request adapter: status %u %.*s\n", status, (int)message.length, message.data ? message.data : "");
    *(void**)ud1 = status == 1 ? adapter : NULL;
}

static void* adapter(int unsafe) {
    const char* inst[] = {"allow_unsafe_apis"};
    const char* adap[] = {"use_vulkan_memory_model", "allow_unsafe_apis"};
    Toggles ti = {{NULL, 0x0005000A}, 1, inst, 0, NULL};
    Toggles ta = {{NULL, 0x0005000A}, 2, adap, 0, NULL};
    InstanceDesc d = {unsafe ? &ti.chain : NULL, {NULL, 1, 8}};
    void* instance = createInstance(&d);
    AdapterOptions o = {unsafe ? &ta.chain : NULL, 2, 2, 0, 6, NULL};
    void* result = NULL;
    CallbackInfo cb = {NULL, 1, got, &result, NULL};
    FutureWaitInfo w = {requestAdapter(instance, &o, cb), 0};
    waitAny(instance, 1, &w, 5000000000ull);
    return result;
}

static size_t features(void* a, uint32_t* out) {
    SupportedFeatures f = {0, NULL};
    getFeatures(a, &f);
    for (size_t i = 0; i < f.count; i++) out[i] = f.features[i];
    return f.count;
}

int main(int argc, char** argv) {
    void* lib = dlopen(argc > 1 ? argv[1] : "libwebgpu_wrapper.so", RTLD_NOW);
    if (!lib) { printf("dlopen: %s\n", dlerror()); return 1; }
    createInstance = dlsym(lib, "wgpuCreateInstance");
    requestAdapter = dlsym(lib, "wgpuInstanceRequestAdapter");
    waitAny = dlsym(lib, "wgpuInstanceWaitAny");
    getFeatures = dlsym(lib, "wgpuAdapterGetFeatures");
    getInfo = dlsym(lib, "wgpuAdapterGetInfo");
    uint32_t plain[256], with[256];
    void* a0 = adapter(0);
    void* a1 = adapter(1);
    if (!a0 || !a1) { printf("no adapter\n"); return 1; }
    AdapterInfo info;
    memset(&info, 0, sizeof info);
    getInfo(a1, &info);
    printf("adapter: %.*s (backend %u, type %u, subgroups %u-%u)\n", (int)info.device.length, info.device.data, info.backendType, info.adapterType, info.subgroupMin, info.subgroupMax);
    size_t n0 = features(a0, plain), n1 = features(a1, with);
    printf("features without toggles (%zu):", n0);
    for (size_t i = 0; i < n0; i++) printf(" 0x%x", plain[i]);
    printf("\nfeatures with allow_unsafe_apis + use_vulkan_memory_model (%zu):", n1);
    for (size_t i = 0; i < n1; i++) printf(" 0x%x", with[i]);
    printf("\nonly with the toggles:");
    for (size_t i = 0; i < n1; i++) {
        int found = 0;
        for (size_t j = 0; j < n0; j++) found |= with[i] == plain[j];
        if (!found) printf(" 0x%x", with[i]);
    }
    printf("\n");
    for (uint32_t s = 0x50036; s <= 0x50042; s++) {
        uint64_t room[64];
        memset(room, 0, sizeof room);
        MatrixConfigs* m = (MatrixConfigs*)room;
        m->chain.sType = s;
        AdapterInfo i2;
        memset(&i2, 0, sizeof i2);
        i2.next = &m->chain;
        uint32_t st = getInfo(a1, &i2);
        printf("sType 0x%x: status %u, count %zu", s, st, m->configCount);
        if (st == 1 && m->configCount > 0 && m->configCount < 64 && m->configs)
            for (size_t k = 0; k < m->configCount; k++) {
                const uint32_t* c = m->configs + 5 * k;
                printf("\n  config %zu: component %u, result %u, M %u N %u K %u", k, c[0], c[1], c[2], c[3], c[4]);
            }
        printf("\n");
    }
    return 0;
}
