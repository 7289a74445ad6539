// scenario_editor.cpp - form fields bound to JSON pointers of the scenario document.
#include "gui/scenario_editor.hpp"

#include <QFileInfo>
#include <QGroupBox>
#include <QScrollArea>

namespace mxsim::gui {
namespace {

using Json = nlohmann::ordered_json;

// What the user typed, as the JSON the loader will judge: a number when it reads
// as one (so "30" is the integer 30), else the text itself (so "abc" in a number
// field is reported by the loader as "expected a number, got \"abc\"").
Json typed_value(const QString& raw, bool numeric) {
    const QString text = raw.trimmed();
    if (text.isEmpty()) return Json();  // left empty: the default
    if (!numeric) return text.toStdString();
    bool ok = false;
    if (const qlonglong i = text.toLongLong(&ok); ok) return static_cast<std::int64_t>(i);
    if (const qulonglong u = text.toULongLong(&ok); ok) return static_cast<std::uint64_t>(u);
    if (const double d = text.toDouble(&ok); ok) return d;
    return text.toStdString();
}

QString shown(const Json& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return QString::fromStdString(v.get<std::string>());
    return QString::fromStdString(v.dump());
}

// obj[key] when obj is an object holding it, else null: the document may be
// any JSON until the loader has judged it.
Json member(const Json& obj, const char* key) {
    return obj.is_object() && obj.contains(key) ? obj[key] : Json();
}

const char* kInvalidStyle = "border: 2px solid #d62728;";

}  // namespace

ScenarioEditor::ScenarioEditor(QWidget* parent)
    : QWidget(parent),
      host_(new QComboBox),
      worm_(new QComboBox),
      variants_(new QVBoxLayout),
      rate_limit_on_(new QCheckBox("limit every local mailbox (token bucket)")),
      sweeps_(new QLabel),
      heading_(new QLabel),
      description_(new QLabel),
      message_(new QLabel) {
    // The heading and the error stay put; the fields scroll below them.
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    heading_->setWordWrap(true);
    heading_->setTextFormat(Qt::RichText);
    message_->setObjectName("editor_message");
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_->setStyleSheet("color: #d62728; font-weight: bold;");
    message_->setVisible(false);
    outer->addWidget(heading_);
    outer->addWidget(message_);
    auto* fields = new QWidget;
    auto* layout = new QVBoxLayout(fields);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll, 1);
    description_->setWordWrap(true);
    description_->setStyleSheet("color: #555555;");
    layout->addWidget(description_);
    const auto group = [layout](const QString& title) {
        auto* box = new QGroupBox(title);
        auto* form = new QFormLayout(box);
        layout->addWidget(box);
        return form;
    };

    QFormLayout* run = group("Run");
    add(run, "Run length", "/duration", Scope::Document, Kind::Text, "7d");
    add(run, "Time bin", "/bin_width", Scope::Document, Kind::Text, "1h");
    add(run, "Seed", "/seed", Scope::Document, Kind::Integer, "1");
    add(run, "Replications", "/replications", Scope::Document, Kind::Integer, "1");

    QFormLayout* mta = group("MTA policy");
    mta->addRow("Host", host_);
    add(mta, "MTA", "mta/flavor", Scope::Host, Kind::Choice, "postfix",
        {"postfix", "exim", "sendmail"});
    add(mta, "Reject unknown recipients at RCPT", "mta/reject_unlisted_recipient", Scope::Host,
        Kind::Bool, "true");
    add(mta, "Check SPF at MAIL FROM", "mta/check_spf", Scope::Host, Kind::Bool, "false");
    // Postfix, Exim and Sendmail queue timers (docs/scenario-format.md, "queue").
    const QString q = "mta/queue/";
    add(mta, "queue_run_delay", q + "queue_run_delay", Scope::Host, Kind::Text, "300s", {},
        "postfix");
    add(mta, "minimal_backoff_time", q + "minimal_backoff_time", Scope::Host, Kind::Text, "300s",
        {}, "postfix");
    add(mta, "maximal_backoff_time", q + "maximal_backoff_time", Scope::Host, Kind::Text, "4000s",
        {}, "postfix");
    add(mta, "maximal_queue_lifetime", q + "maximal_queue_lifetime", Scope::Host, Kind::Text, "5d",
        {}, "postfix");
    add(mta, "bounce_queue_lifetime", q + "bounce_queue_lifetime", Scope::Host, Kind::Text, "5d",
        {}, "postfix");
    add(mta, "retry_rules", q + "retry_rules", Scope::Host, Kind::Text,
        "F,2h,15m; G,16h,1h,1.5; F,4d,6h", {}, "exim");
    add(mta, "queue_run_interval", q + "queue_run_interval", Scope::Host, Kind::Text, "30m", {},
        "exim");
    add(mta, "queue_interval", q + "queue_interval", Scope::Host, Kind::Text, "15m", {},
        "sendmail");
    add(mta, "queuereturn", q + "queuereturn", Scope::Host, Kind::Text, "5d", {}, "sendmail");
    mta->addRow(rate_limit_on_);
    const QString rl = "mta/mailbox_rate_limit/";
    add(mta, "Rate (messages per hour)", rl + "per_hour", Scope::Host, Kind::Number);
    add(mta, "Burst", rl + "burst", Scope::Host, Kind::Integer, "10");
    add(mta, "Over the limit answer", rl + "over_limit", Scope::Host, Kind::Choice, "450",
        {"450", "550", "discard"});

    QFormLayout* flood = group("Flood (worm or spammer)");
    flood->addRow("Worm", worm_);
    add(flood, "Infected hosts", "infected_hosts", Scope::Worm, Kind::Integer, "100");
    add(flood, "Messages per host per hour", "rate_per_hour", Scope::Worm, Kind::Number);
    add(flood, "Stops at", "stop", Scope::Worm, Kind::Text, "end of run");

    auto* variants = new QGroupBox("Variants to run (the baseline always runs)");
    variants->setLayout(variants_);
    sweeps_->setWordWrap(true);
    variants_->addWidget(sweeps_);
    layout->addWidget(variants);

    layout->addStretch();
    scroll->setWidget(fields);

    host_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    worm_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(host_, &QComboBox::currentIndexChanged, this, [this] { load_fields(); });
    connect(worm_, &QComboBox::currentIndexChanged, this, [this] { load_fields(); });
    connect(rate_limit_on_, &QCheckBox::toggled, this, [this](bool on) {
        if (loading_ || !document_ || host_->currentIndex() < 0) return;
        const std::string p =
            "/hosts/" + std::to_string(host_->currentData().toInt()) + "/mta/mailbox_rate_limit";
        try {
            document_->set(p, on ? Json{{"per_hour", 100}} : Json());
        } catch (const std::exception& e) {
            show_message(QString::fromStdString(e.what()));
            return;
        }
        load_fields();
        revalidate();
    });
    show_heading();
    setEnabled(false);
}

QWidget* ScenarioEditor::add(QFormLayout* form, const QString& label, const QString& key,
                             Scope scope, Kind kind, const QString& fallback,
                             const QStringList& choices, const QString& flavor) {
    QWidget* w = nullptr;
    if (kind == Kind::Bool) {
        w = new QCheckBox;
    } else if (kind == Kind::Choice) {
        auto* combo = new QComboBox;
        combo->addItems(choices);
        w = combo;
    } else {
        auto* line = new QLineEdit;
        line->setPlaceholderText(fallback.isEmpty() ? "required" : "default: " + fallback);
        w = line;
    }
    w->setObjectName(key);
    form->addRow(label, w);
    fields_.push_back({key, scope, kind, w, form, fallback, flavor});
    const Field f = fields_.back();
    if (auto* line = qobject_cast<QLineEdit*>(w))
        connect(line, &QLineEdit::editingFinished, this, [this, f] { field_edited(f); });
    else if (auto* box = qobject_cast<QCheckBox*>(w))
        connect(box, &QCheckBox::toggled, this, [this, f] { field_edited(f); });
    else if (auto* combo = qobject_cast<QComboBox*>(w))
        connect(combo, &QComboBox::currentIndexChanged, this, [this, f] { field_edited(f); });
    return w;
}

void ScenarioEditor::setDocument(ScenarioDocument document) {
    document_ = std::move(document);
    loading_ = true;
    host_->clear();
    worm_->clear();
    const Json hosts = document_->value("/hosts");
    if (hosts.is_array())
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            const Json& h = hosts[i];
            if (!h.is_object() || !h.contains("mta")) continue;
            QString name = shown(member(h, "name"));
            if (h.contains("count")) name += " (x" + shown(h["count"]) + ")";
            host_->addItem(name, static_cast<int>(i));
        }
    const Json worms = document_->value("/traffic/worms");
    if (worms.is_array())
        for (std::size_t i = 0; i < worms.size(); ++i)
            worm_->addItem(shown(member(worms[i], "name")), static_cast<int>(i));
    loading_ = false;
    rebuild_variants();
    load_fields();
    setEnabled(true);
    revalidate();
}

QString ScenarioEditor::pointer(const Field& f) const {
    switch (f.scope) {
        case Scope::Document:
            return f.key;
        case Scope::Host:
            return host_->currentIndex() < 0
                       ? QString()
                       : "/hosts/" + QString::number(host_->currentData().toInt()) + "/" + f.key;
        case Scope::Worm:
            return worm_->currentIndex() < 0
                       ? QString()
                       : "/traffic/worms/" + QString::number(worm_->currentData().toInt()) + "/" +
                             f.key;
    }
    return {};
}

void ScenarioEditor::load_fields() {
    if (!document_) return;
    loading_ = true;
    QString flavor = "postfix";
    for (const Field& f : fields_)
        if (f.key == "mta/flavor") {
            const Json v = document_->value(pointer(f).toStdString());
            if (v.is_string()) flavor = QString::fromStdString(v.get<std::string>());
        }
    const bool limited = host_->currentIndex() >= 0 &&
                         !document_
                              ->value("/hosts/" + std::to_string(host_->currentData().toInt()) +
                                      "/mta/mailbox_rate_limit")
                              .is_null();
    rate_limit_on_->setChecked(limited);
    rate_limit_on_->setEnabled(host_->currentIndex() >= 0);
    for (const Field& f : fields_) {
        const QString p = pointer(f);
        const bool rate_field = f.key.startsWith("mta/mailbox_rate_limit/");
        f.form->setRowVisible(f.widget, f.flavor.isEmpty() || f.flavor == flavor);
        f.widget->setEnabled(!p.isEmpty() && (!rate_field || limited));
        const Json v = p.isEmpty() ? Json() : document_->value(p.toStdString());
        const QString text = v.is_null() ? f.fallback : shown(v);
        if (auto* line = qobject_cast<QLineEdit*>(f.widget))
            line->setText(v.is_null() ? QString() : text);
        else if (auto* box = qobject_cast<QCheckBox*>(f.widget))
            box->setChecked(text == "true");
        else if (auto* combo = qobject_cast<QComboBox*>(f.widget))
            combo->setCurrentIndex(std::max(0, combo->findText(text)));
    }
    loading_ = false;
    revalidate();
}

void ScenarioEditor::field_edited(const Field& f) {
    if (loading_ || !document_) return;
    const QString p = pointer(f);
    if (p.isEmpty()) return;
    Json value;
    if (auto* line = qobject_cast<QLineEdit*>(f.widget))
        value = typed_value(line->text(), f.kind == Kind::Integer || f.kind == Kind::Number);
    else if (auto* box = qobject_cast<QCheckBox*>(f.widget))
        value = box->isChecked();
    else if (auto* combo = qobject_cast<QComboBox*>(f.widget))
        value = combo->currentText().toStdString();
    try {
        document_->set(p.toStdString(), value);
    } catch (const std::exception& e) {
        show_message(QString::fromStdString(e.what()));
        return;
    }
    if (f.key == "mta/flavor")
        load_fields();  // show that flavor's queue keys
    else
        revalidate();
}

void ScenarioEditor::rebuild_variants() {
    for (QCheckBox* box : variant_boxes_)
        delete box;
    variant_boxes_.clear();
    for (const std::string& name : document_->variant_names()) {
        auto* box = new QCheckBox(QString::fromStdString(name));
        box->setChecked(document_->variant_enabled(name));
        connect(box, &QCheckBox::toggled, this, [this, name](bool on) {
            document_->set_variant_enabled(name, on);
            revalidate();
        });
        variants_->insertWidget(variants_->indexOf(sweeps_), box);
        variant_boxes_.push_back(box);
    }
    if (variant_boxes_.empty()) {
        auto* none = new QCheckBox("(this scenario has no variants)");
        none->setEnabled(false);
        variants_->insertWidget(variants_->indexOf(sweeps_), none);
        variant_boxes_.push_back(none);
    }
    // A swept key takes the sweep's values at every point, whatever the field says.
    QStringList sweeps;
    const Json list = document_->value("/sweeps");
    for (std::size_t i = 0; list.is_array() && i < list.size(); ++i)
        sweeps << shown(member(list[i], "name")) + ": " + shown(member(list[i], "path")) +
                      " over " +
                      shown(member(list[i], "values").is_null() ? member(list[i], "shares")
                                                                : member(list[i], "values"));
    sweeps_->setText(sweeps.isEmpty()
                         ? QString()
                         : "Swept (these values override the fields):\n" + sweeps.join("\n"));
    sweeps_->setVisible(!sweeps.isEmpty());
}

std::pair<int, int> ScenarioEditor::expanded_hosts() const {
    const Json hosts = document_->value("/hosts");
    const int entry = host_->currentIndex() < 0 ? -1 : host_->currentData().toInt();
    int start = 0;
    for (int i = 0; hosts.is_array() && i < static_cast<int>(hosts.size()); ++i) {
        const Json& h = hosts[static_cast<std::size_t>(i)];
        const int n = h.is_object() && h.contains("count") && h["count"].is_number_integer()
                          ? h["count"].get<int>()
                          : 1;
        if (i == entry) return {start, start + n};
        start += n;
    }
    return {0, 0};
}

bool ScenarioEditor::error_is_about(const Field& f) const {
    const std::string& e = validation_.pointer;
    if (e.empty()) return false;
    const auto matches = [&e](const std::string& p) { return e == p || e.rfind(p + "/", 0) == 0; };
    if (f.scope != Scope::Host) return matches(pointer(f).toStdString());
    // Errors name expanded hosts: /hosts/17/... is within a template entry's range.
    const auto [first, last] = expanded_hosts();
    for (int h = first; h < last; ++h)
        if (matches("/hosts/" + std::to_string(h) + "/" + f.key.toStdString())) return true;
    return false;
}

void ScenarioEditor::revalidate() {
    if (!document_) return;
    validation_ = document_->validate();
    show_message(QString::fromStdString(validation_.error));
    show_heading();
    for (const Field& f : fields_) {
        const bool bad = error_is_about(f);
        f.widget->setStyleSheet(bad ? kInvalidStyle : "");
        f.widget->setToolTip(bad ? QString::fromStdString(validation_.error) : QString());
    }
    emit validityChanged(validation_.experiment.has_value());
}

void ScenarioEditor::show_message(const QString& text) {
    message_->setText(text);
    message_->setVisible(!text.isEmpty());
}

void ScenarioEditor::show_heading() {
    if (!document_) {
        heading_->setText("<i>No scenario open: pick one from the list or use File, Open.</i>");
        description_->clear();
        return;
    }
    const Json name = document_->value("/name");
    const Json question = document_->value("/question");
    const QString file = QFileInfo(QString::fromStdString(document_->path())).fileName();
    heading_->setText(
        "<b>" + (name.is_string() ? shown(name) : file).toHtmlEscaped() + "</b> <small>(" +
        file.toHtmlEscaped() + (document_->modified() ? ", edited" : "") + ")</small>" +
        (question.is_string() ? "<br>" + shown(question).toHtmlEscaped() : QString()));
    const Json description = document_->value("/description");
    description_->setText(description.is_string() ? shown(description) : QString());
    description_->setVisible(description.is_string());
}

QWidget* ScenarioEditor::field(const QString& key) const {
    for (const Field& f : fields_)
        if (f.key == key) return f.widget;
    return nullptr;
}

bool ScenarioEditor::edit(const QString& key, const QString& text) {
    QWidget* w = field(key);
    if (!w || !w->isEnabled()) return false;
    if (auto* line = qobject_cast<QLineEdit*>(w)) {
        line->setText(text);
        emit line->editingFinished();
    } else if (auto* box = qobject_cast<QCheckBox*>(w)) {
        box->setChecked(text == "true");
    } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
        const int i = combo->findText(text);
        if (i < 0) return false;
        combo->setCurrentIndex(i);
    }
    return true;
}

}  // namespace mxsim::gui
