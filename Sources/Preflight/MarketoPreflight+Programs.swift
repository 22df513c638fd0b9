internal import LeadModel
internal import Marketo

extension MarketoPreflight {
    /// Each mapped program exists; each channel they use has every channel status, with steps in the order the
    /// fold moves members (Marketo skips a move to a lower step with 1037, which the writer counts as delivered).
    mutating func checkPrograms() async {
        var programsByChannel: [String: [Int]] = [:]
        let mapped = tenant.events.sorted { $0.key < $1.key }.compactMap { event in
            event.value.marketoProgramId.map { (event.key, $0) }
        }
        for (eventId, programId) in mapped {
            let item = "program \(programId) (event \(eventId))"
            do {
                guard let program = try await patiently({ try await client.program(id: programId) }) else {
                    add(
                        item,
                        .fail,
                        "Marketo has no program \(programId)",
                        fix: "create the event program in Marketing Activities (New > New Program, type Event, "
                            + "channel \"Virtual Event\") and put its id (the number in its URL) into "
                            + "tenants[].events[\"\(eventId)\"].marketoProgramId",
                        blocking: true
                    )
                    continue
                }
                add(item, .pass, "\"\(program.name)\" on channel \"\(program.channel)\"")
                programsByChannel[program.channel, default: []].append(programId)
            } catch {
                add(item, .fail, "cannot read the program: \(error)", blocking: true)
            }
        }
        for (channelName, programs) in programsByChannel.sorted(by: { $0.key < $1.key }) {
            await checkChannel(channelName, programs: programs)
        }
    }

    private mutating func checkChannel(_ name: String, programs: [Int]) async {
        let users =
            "used by program\(programs.count == 1 ? "" : "s") "
            + programs.map(String.init).joined(separator: ", ")
        let channel: MarketoChannel
        do {
            guard let found = try await patiently({ try await client.channel(named: name) }) else {
                add("channel \"\(name)\"", .fail, "Marketo has no channel \"\(name)\" (\(users))", blocking: true)
                return
            }
            channel = found
        } catch {
            add("channel \"\(name)\"", .fail, "cannot read the channel: \(error)", blocking: true)
            return
        }
        var steps: [ChannelStatus: Int] = [:]
        var missing = 0
        for status in ChannelStatus.allCases {
            guard let found = channel.progressionStatuses.first(where: { $0.name == status.name }) else {
                missing += 1
                add(
                    "channel \"\(name)\" status \"\(status.name)\"",
                    .fail,
                    "the channel (\(users)) has no progression status \"\(status.name)\"; every \(status.name) "
                        + "command of its programs is dead-lettered with 1025",
                    fix: "add the status \"\(status.name)\" (step \(status.step)"
                        + (status.isSuccess ? ", success" : "") + ") in Marketo Admin > Tags > Channels > \"\(name)\" "
                        + "> Edit Channel (docs/crm-setup.md, Marketo step 1)"
                )
                continue
            }
            steps[status] = found.step
        }
        if missing == 0 {
            let count = ChannelStatus.allCases.count
            add("channel \"\(name)\" statuses", .pass, "all \(count) channel statuses (\(users))")
        }
        checkStepOrder(channel: name, steps: steps)
    }

    /// A move the fold makes forward that Marketo sees as backward is skipped (1037) and counted as delivered.
    private mutating func checkStepOrder(channel name: String, steps: [ChannelStatus: Int]) {
        var inverted: [String] = []
        for lower in ChannelStatus.allCases {
            for higher in ChannelStatus.allCases where lower.step < higher.step {
                guard let lowerStep = steps[lower], let higherStep = steps[higher], lowerStep > higherStep else {
                    continue
                }
                inverted.append("\(lower.name) (step \(lowerStep)) -> \(higher.name) (step \(higherStep))")
            }
        }
        guard !inverted.isEmpty else { return }
        add(
            "channel \"\(name)\" steps",
            .fail,
            "Marketo would skip these forward moves as moves to a lower step: " + inverted.joined(separator: "; "),
            fix: "give the statuses the steps of docs/crm-setup.md (Created 10, Invited 20, Registered 30, Confirmed "
                + "and autoConfirmed 40, Attended 50, Participated 60, Blocked 70, Un-registered 80) in Admin > Tags "
                + "> Channels > \"\(name)\" > Edit Channel"
        )
    }
}
