import Foundation
import JSONRPC
import PaaS
import Testing

/// The pieces behind the metrics route, without a database: periods and their buckets, the spec
/// parser, the load model's bounds and determinism, and the running share of a bucket.
@Suite("PaaS: app metrics model")
struct AppMetricsModelTests {
    @Test func periodsHaveTheirResolutionAndAlignedBuckets() {
        let now = 1_790_000_123.5
        let expected: [(MetricsPeriod, Int64, Int, String)] = [
            (.hour, 60, 60, "1m"), (.day, 900, 96, "15m"), (.week, 3600, 168, "1h"), (.month, 21600, 120, "6h"),
        ]
        for (period, resolution, points, label) in expected {
            #expect(period.resolution == resolution)
            #expect(period.resolutionLabel == label)
            let starts = period.bucketStarts(now: now)
            #expect(starts.count == points)
            #expect(starts.allSatisfy { $0 % resolution == 0 })
            #expect(zip(starts, starts.dropFirst()).allSatisfy { $1 - $0 == resolution })
            // The last bucket holds `now`; together they cover the whole period.
            #expect(Double(starts.last!) <= now && now < Double(starts.last! + resolution))
            #expect(Int64(points) * resolution == ["1h": 3600, "24h": 86400, "7d": 604_800, "30d": 2_592_000][period.rawValue])
        }
        #expect(MetricsPeriod.standard == .day)
    }

    @Test func templateSpecsAreRead() {
        #expect(AppResourceSpecs(cpu: "2 vCPU", ram: "4 GB", storage: "40 GB") == AppResourceSpecs(cpus: 2, ramMB: 4096, storageGB: 40))
        #expect(AppResourceSpecs(cpu: "1 vCPU", ram: "512 MB", storage: "2 GB") == AppResourceSpecs(cpus: 1, ramMB: 512, storageGB: 2))
        #expect(AppResourceSpecs(cpu: "0.5 vCPU", ram: "1TB", storage: "1 TB") == AppResourceSpecs(cpus: 0.5, ramMB: 1_048_576, storageGB: 1024))
        #expect(AppResourceSpecs(cpu: nil, ram: "lots", storage: "-3 GB") == AppResourceSpecs(cpus: 1, ramMB: 1024, storageGB: 10))
        #expect(AppResourceSpecs(template: ["cpu": "4 vCPU", "ram": "16 GB", "storage": "80 GB"]) == AppResourceSpecs(cpus: 4, ramMB: 16384, storageGB: 80))
    }

    @Test func readingsStayWithinTheTemplateAndRepeat() {
        let specsList = [
            AppResourceSpecs(cpus: 1, ramMB: 512, storageGB: 2), AppResourceSpecs(cpus: 2, ramMB: 4096, storageGB: 40),
            AppResourceSpecs(cpus: 4, ramMB: 16384, storageGB: 80),
        ]
        for specs in specsList {
            for appID in Int64(1)...40 {
                let model = AppLoadModel(appID: appID, specs: specs)
                for period in MetricsPeriod.allCases {
                    for start in period.bucketStarts(now: 1_790_000_000) {
                        let reading = model.reading(bucket: start, resolution: period.resolution)
                        #expect(reading == model.reading(bucket: start, resolution: period.resolution))
                        #expect((1...100).contains(reading.cpu))
                        #expect(reading.ramMB >= 0.05 * specs.ramMB && reading.ramMB <= 0.95 * specs.ramMB)
                        for value in [reading.diskRead, reading.diskWrite, reading.networkIn, reading.networkOut, reading.connections] {
                            #expect(value > 0 && value.isFinite)
                        }
                    }
                }
            }
        }
        // Apps differ, and a bigger template carries more traffic for the same app.
        let small = AppLoadModel(appID: 7, specs: specsList[0]).reading(bucket: 1_790_000_000, resolution: 60)
        let big = AppLoadModel(appID: 7, specs: specsList[2]).reading(bucket: 1_790_000_000, resolution: 60)
        #expect(big.networkIn > small.networkIn && big.ramMB > small.ramMB)
        #expect(AppLoadModel(appID: 8, specs: specsList[0]).reading(bucket: 1_790_000_000, resolution: 60) != small)
    }

    @Test func theRunningShareOfABucket() {
        let history = AppStatusHistory([
            .init(time: 100, status: "deploying"), .init(time: 200, status: "running"), .init(time: 500, status: "stopped"),
            .init(time: 800, status: "deploying"), .init(time: 900, status: "running"), .init(time: 950, status: "running"),
        ])
        #expect(history.runningSpans.map { [$0.start, $0.end] } == [[200, 500], [900, .infinity]])
        #expect(history.runningFraction(from: 0, to: 100) == 0)
        #expect(history.runningFraction(from: 200, to: 500) == 1)
        #expect(history.runningFraction(from: 400, to: 600) == 0.5)
        #expect(history.runningFraction(from: 500, to: 900) == 0)
        #expect(history.runningFraction(from: 0, to: 1000) == 0.4)
        #expect(history.isRunning(at: 250) && !history.isRunning(at: 500) && !history.isRunning(at: 899) && history.isRunning(at: 5000))
        #expect(AppStatusHistory([]).runningFraction(from: 0, to: 10) == 0)
    }

    @Test func theSeriesIsZeroWhileStoppedAndProratedAtTheEdges() {
        let model = AppLoadModel(appID: 3, specs: AppResourceSpecs(cpus: 1, ramMB: 2048, storageGB: 10))
        let now = 1_790_000_000.0 + 30
        let starts = MetricsPeriod.hour.bucketStarts(now: now)
        // Running, stopped from the middle of bucket 10 to the start of bucket 20, running again.
        let history = AppStatusHistory([
            .init(time: 0, status: "running"), .init(time: Double(starts[10] + 30), status: "stopped"),
            .init(time: Double(starts[20]), status: "running"),
        ])
        let points = AppMetricsSeries.points(period: .hour, model: model, history: history, now: now)
        #expect(points.map(\.start) == starts)
        for (index, point) in points.enumerated() {
            let full = model.reading(bucket: point.start, resolution: 60)
            switch index {
            case 11..<20: #expect(point.reading == .idle)
            case 10: #expect(abs(point.reading.cpu - full.cpu / 2) <= 0.05)
            default: #expect(abs(point.reading.cpu - full.cpu) <= 0.05 && point.reading.cpu > 0)
            }
        }
        // The bucket in progress is the live reading: zero as soon as the app stops.
        let stopped = AppStatusHistory([.init(time: 0, status: "running"), .init(time: now - 1, status: "stopped")])
        #expect(AppMetricsSeries.points(period: .hour, model: model, history: stopped, now: now).last?.reading == .idle)
        #expect(AppMetricsSeries.points(period: .hour, model: model, history: history, now: now).last?.reading
            == AppMetricsSeries.live(model: model, running: true, now: now))
    }
}
