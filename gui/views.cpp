// views.cpp - the views' names, titles and captions (docs/gui.md's views table says the same).
#include "gui/views.hpp"

namespace mxsim::gui {

const std::vector<ViewInfo>& result_views() {
    static const std::vector<ViewInfo> views{
        {"ndr", "NDRs", "NDR volume",
         "NDRs generated per time bin, one line per variant, with the 95% band across "
         "replications."},
        {"fates", "Fates", "Message fates",
         "How many messages ended delivered, rejected, bounced, dropped, expired, discarded or "
         "still queued, per variant (one colour per fate)."},
        {"lost", "Lost", "Legitimate mail lost",
         "Legitimate mail bounced, rejected, expired or dropped per time bin, one line per "
         "variant, with the 95% band."},
        {"delay", "Delay", "Legitimate mail delay",
         "Median and 95th percentile of legitimate mail's delivery delay per variant (against "
         "the swept value when there is a sweep); mail still queued at the end counts at its "
         "wait so far."},
        {"queue", "Queues", "Queue depth per MTA",
         "Messages queued at each MTA over time, for one variant: the MTAs with the highest "
         "peak."},
        {"victims", "Victims", "Backscatter victims",
         "The addresses that received the most backscatter, one bar per variant."},
        {"sweep", "Sweep", "Rate-limit sweep",
         "Backscatter absorbed (solid) and legitimate mail lost (dashed) against the swept "
         "value, with 95% bands."},
        {"explain", "Story", "Teaching view",
         "The story of a message step by step, each SMTP reply with the rule behind it, as "
         "mxsim explain tells it."},
    };
    return views;
}

QStringList view_names() {
    QStringList names;
    for (const ViewInfo& v : result_views())
        names << v.name;
    return names;
}

const ViewInfo* find_view(const QString& name) {
    for (const ViewInfo& v : result_views())
        if (v.name == name) return &v;
    return nullptr;
}

}  // namespace mxsim::gui
