// traffic.hpp - where mail comes from: scripted messages, users' Poisson streams,
// and worms or spammers with their own SMTP engines and forged senders.
// Offers TrafficSources: schedules each source's first arrival and, on its
// events, creates the message and hands it to MailSteps::start_delivery.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/world_context.hpp"
#include "sim/random_stream.hpp"

namespace mxsim::model {

class TrafficSources {
  public:
    TrafficSources(WorldContext& world, MailSteps& steps);

    // Books every source's first event (in scenario order: messages, streams, worms).
    void start();
    void inject(std::uint32_t message);
    void next_of_stream(std::uint32_t stream, bool send);
    // One Poisson stream for a worm's whole infected population.
    void next_of_worm(std::uint32_t worm, bool send);

  private:
    // A worm's bots, its address book, and the stream it draws from.
    // Addresses to draw from: a list, or (empty `list`, `all`) every mailbox.
    struct AddressPool {
        std::vector<AddressRef> list;
        bool all = false;
    };
    // What one worm message is: every draw it takes from the worm's stream.
    struct Shot {
        HostIndex bot = 0;
        AddressRef sender;  // forged, or null for a fake bounce
        AddressRef to;
        bool backup = false;              // aimed at the worst MX
        std::vector<AddressRef> more_to;  // further RCPTs at the same domain (spam runs)
    };
    struct Worm {
        std::vector<HostIndex> bots;
        AddressPool book;
        std::vector<NameId> book_domains;  // for made-up recipients
        AddressPool senders;               // forged senders
        sim::RandomStream rng;
        // The next message, drawn when its arrival is booked (the draws come in
        // the same order as when drawn at the arrival: gap, message, gap, ...),
        // so that its lookups can be warmed in the CPU's caches meanwhile.
        std::optional<Shot> next;
    };
    AddressRef draw(const AddressPool& pool, sim::RandomStream& rng) const;
    Worm make_worm(const WormSpec& spec) const;
    Shot draw_shot(const WormSpec& spec, Worm& w) const;
    void send_from_worm(const WormSpec& spec, const Shot& shot);
    AddressRef pick(const std::vector<Address>& list, sim::RandomStream& rng);
    void queue_legit(MessageId m, HostIndex via, bool direct);

    WorldContext& world_;
    MailSteps& steps_;
    std::vector<sim::RandomStream> stream_rng_;
    std::vector<Worm> worms_;
};

}  // namespace mxsim::model
