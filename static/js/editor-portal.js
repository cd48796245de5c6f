// The portal's part of the rich-text editor (django-prose-editor), loaded as the
// module of the "PortalEditing" extension (settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
// Its exports join the editor's own by name, so Link and Figure here replace the
// editor's: links are completed as the server completes them
// (portal.lib.text.normalise_href), the link dialog finds our articles, pictures
// come only from the library, and paste says what it left out.
import {
  Extension,
  Figure as BaseFigure,
  Link as BaseLink,
  Plugin,
  crel,
} from "django-prose-editor/editor"

const BARE_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?(?::[0-9]{1,5})?(?:[/?#]|$)/i
const SCHEME = /^[a-z][a-z0-9+.-]*:/i
const MAIL_ADDRESS = /^[^@\s/:]+@(?:[a-z0-9-]+\.)+[a-z]{2,63}$/i
const ADMIN_PREFIX = "/admin/"

// The address a link gets, or null where it would lead nowhere (as on the server).
export function normaliseHref(value) {
  const href = (value || "").trim()
  if (href.startsWith("//")) return `https:${href}`
  if (BARE_HOST.test(href)) return `https://${href}`
  if (MAIL_ADDRESS.test(href)) return `mailto:${href}`
  if (SCHEME.test(href) || href.startsWith("#")) return href
  const path = href.split(/[?#]/)[0]
  if (href.startsWith("/") && !`${path}/`.startsWith(ADMIN_PREFIX)) return href
  return null
}

let dialogCount = 0

function field(labelText, input, hint) {
  const label = crel("label", { htmlFor: input.id, textContent: labelText })
  const children = [label, input]
  if (hint) {
    const help = crel("p", { className: "portal-dialog-hint", id: `${input.id}-hint`, textContent: hint })
    input.setAttribute("aria-describedby", help.id)
    children.push(help)
  }
  return crel("div", { className: "prose-editor-dialog-field" }, children)
}

// The link dialog: address, title, and (where the form gives a searchUrl) a
// search for our own articles whose results fill in the address.
function linkDialog(editor, attrs, options) {
  return new Promise((resolve) => {
    const prefix = `portal-link-${++dialogCount}`
    const isNew = !attrs.href
    const href = crel("input", { id: `${prefix}-href`, name: "href", type: "text", size: 50, value: attrs.href || "" })
    const title = crel("input", { id: `${prefix}-title`, name: "title", type: "text", size: 50, value: attrs.title || "" })
    const error = crel("p", { className: "portal-dialog-error", id: `${prefix}-error` })
    error.setAttribute("role", "alert")
    const parts = [
      crel("h3", { className: "prose-editor-dialog-title", textContent: isNew ? "Link einfügen" : "Link bearbeiten" }),
      field("Adresse (URL)", href, "Ohne https:// eingegeben, wird es ergänzt: www.bund.de wird zu https://www.bund.de."),
      error,
      field("Titel (optional)", title),
    ]

    if (options.searchUrl) {
      const query = crel("input", { id: `${prefix}-q`, type: "search", size: 40, autocomplete: "off" })
      const searchButton = crel("button", { type: "button", textContent: "Suchen" })
      const status = crel("p", { className: "portal-dialog-hint", id: `${prefix}-status` })
      status.setAttribute("role", "status")
      const results = crel("ul", { className: "portal-link-results" })
      const search = async () => {
        const text = query.value.trim()
        if (text.length < 2) {
          results.replaceChildren()
          status.textContent = "Bitte mindestens zwei Zeichen eingeben."
          return
        }
        status.textContent = "Suche läuft …"
        try {
          const response = await fetch(`${options.searchUrl}?q=${encodeURIComponent(text)}`, {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          })
          if (!response.ok) throw new Error(String(response.status))
          const data = await response.json()
          results.replaceChildren(
            ...data.results.map((article) => {
              const pick = crel("button", { type: "button", className: "portal-link-result" }, [
                crel("span", { className: "portal-link-result__title", textContent: article.title }),
                crel("span", {
                  className: "portal-link-result__meta",
                  textContent: [article.date, article.note].filter(Boolean).join(" · "),
                }),
              ])
              pick.addEventListener("click", () => {
                href.value = article.url
                if (!title.value) title.value = article.title
                error.textContent = ""
                status.textContent = `Gewählt: ${article.title}`
                href.focus()
              })
              return crel("li", {}, [pick])
            }),
          )
          status.textContent = data.results.length
            ? `${data.results.length} Artikel gefunden – zum Übernehmen anklicken.`
            : "Keine Artikel gefunden."
        } catch (_e) {
          status.textContent = "Die Suche ist gerade nicht möglich."
        }
      }
      searchButton.addEventListener("click", search)
      query.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault()
          search()
        }
      })
      parts.push(
        crel("fieldset", { className: "portal-link-search" }, [
          crel("legend", { textContent: "Oder einen eigenen Artikel verlinken" }),
          crel("div", { className: "prose-editor-field-with-picker" }, [
            crel("label", { htmlFor: query.id, className: "visually-hidden", textContent: "Artikel suchen" }),
            query,
            searchButton,
          ]),
          status,
          results,
        ]),
      )
    }

    const submit = crel("button", { type: "submit", textContent: isNew ? "Link einfügen" : "Übernehmen" })
    const cancel = crel("button", { type: "button", value: "cancel", textContent: "Abbrechen" })
    parts.push(crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]))
    const form = crel("form", {}, parts)
    const dialog = crel("dialog", { className: "prose-editor-dialog portal-link-dialog" }, [form])
    dialog.setAttribute("aria-labelledby", `${prefix}-heading`)
    parts[0].id = `${prefix}-heading`
    const wrapper = crel("div", {}, [dialog])
    editor.view.dom.parentElement.append(wrapper)

    let result = null
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      wrapper.remove()
      resolve(result)
    })
    submit.addEventListener("click", (event) => {
      event.preventDefault()
      const normalised = normaliseHref(href.value)
      if (!normalised) {
        error.textContent = href.value.trim()
          ? "Diese Adresse führt auf keine Website. Bitte eine Web-Adresse (z. B. www.bund.de) eingeben oder unten einen Artikel suchen."
          : "Bitte eine Adresse eingeben oder unten einen Artikel suchen."
        href.setAttribute("aria-invalid", "true")
        href.focus()
        return
      }
      result = { href: normalised, title: title.value.trim() || null }
      dialog.close()
    })
    dialog.showModal()
  })
}

export const Link = BaseLink.extend({
  addOptions() {
    return { ...this.parent?.(), searchUrl: null }
  },

  // The editor's Link turns pasted text that looks like an address into an
  // http:// link whatever "autolink" says; pasted text stays text here. (A
  // link pasted as HTML keeps its own address, and pasting an address over
  // selected words still links them, with https as default.)
  addPasteRules() {
    return []
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive("link")) return false
          linkDialog(editor, editor.getAttributes(this.name), this.options).then((attrs) => {
            if (!attrs) return
            const chain = editor.chain().focus()
            if (editor.isActive("link")) {
              chain.extendMarkRange(this.name).updateAttributes(this.name, attrs).run()
            } else {
              chain.setMark(this.name, attrs).run()
            }
          })
          return true
        },
    }
  },
})

// The picture dialog without a free "Bild-URL": a picture given by an address
// would be dropped on save (readers never load from elsewhere), so the field
// only shows what was chosen in the picture library, where uploads are checked.
export const Figure = BaseFigure.extend({
  addCommands() {
    const commands = this.parent?.()
    return {
      ...commands,
      editImage: () => (props) => {
        const done = commands.editImage()(props)
        if (props.dispatch) {
          const dialogs = props.editor.view.dom.parentElement.querySelectorAll("dialog[open]")
          const dialog = dialogs[dialogs.length - 1]
          if (dialog) libraryOnly(dialog)
        }
        return done
      },
    }
  },
})

function libraryOnly(dialog) {
  const input = dialog.querySelector("input[name=imageUrl]")
  if (!input) return
  input.readOnly = true
  input.placeholder = "Noch kein Bild gewählt"
  input.classList.add("portal-chosen-picture")
  const label = dialog.querySelector(`label[for="${input.id}"]`)
  if (label) label.textContent = "Bild aus der Bildbibliothek"
  const hint = crel("p", {
    className: "portal-dialog-hint",
    id: `${input.id}-hint`,
    textContent:
      "Bilder werden in der Bildauswahl („Durchsuchen …“) hochgeladen oder aus der Bildbibliothek gewählt. Eine Adresse von einer anderen Website lässt sich nicht einsetzen.",
  })
  input.setAttribute("aria-describedby", hint.id)
  input.closest(".prose-editor-dialog-field").append(hint)
  const submit = dialog.querySelector("button[type=submit]")
  if (submit && submit.textContent === "Aktualisieren") submit.textContent = "Übernehmen"
  // Before the editor's own handler: nothing chosen yet is said, not ignored.
  dialog.querySelector("form").addEventListener(
    "click",
    (event) => {
      if (event.target === submit && !input.value.trim() && !input.defaultValue) {
        event.preventDefault()
        event.stopImmediatePropagation()
        hint.textContent = "Bitte zuerst über „Durchsuchen …“ ein Bild wählen oder hochladen."
        hint.setAttribute("role", "alert")
      }
    },
    true,
  )
}

const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, blockquote, div, td, th, figcaption, body"

// Pasted HTML as the editor should take it, and what was left out.
export function cleanPastedHtml(html) {
  const doc = new DOMParser().parseFromString(html, "text/html")
  const removed = []
  for (const img of doc.querySelectorAll("img")) {
    if (img.hasAttribute("data-file")) continue // one of ours, copied within the editor
    let host = ""
    try {
      host = new URL(img.getAttribute("src") || "", document.baseURI).hostname
    } catch (_e) {}
    const tiny = ["width", "height"].some((name) => {
      const size = Number.parseInt(img.getAttribute(name) || "", 10)
      return size >= 0 && size <= 2
    })
    removed.push(
      tiny
        ? `Zählpixel${host ? ` von ${host}` : ""}`
        : `Bild${host ? ` von ${host}` : ""} (Bilder bitte über „Bild einfügen“ aus der Bildbibliothek)`,
    )
    const parent = img.parentElement
    img.remove()
    if (parent?.tagName === "A" && !parent.textContent.trim() && !parent.querySelector("img")) parent.remove()
  }
  for (const link of doc.querySelectorAll("a[href]")) {
    const href = normaliseHref(link.getAttribute("href"))
    if (href) {
      link.setAttribute("href", href)
    } else {
      removed.push(`Link auf „${link.getAttribute("href")}“ (keine Adresse im Web)`)
      link.replaceWith(...link.childNodes)
    }
  }
  let breaks = 0
  for (const block of doc.querySelectorAll(BLOCKS)) {
    let last = block.lastChild
    while (last && (last.nodeName === "BR" || (last.nodeType === 3 && !last.textContent.trim()))) {
      if (last.nodeName === "BR") breaks++
      const previous = last.previousSibling
      last.remove()
      last = previous
    }
  }
  let empty = 0
  for (const block of doc.querySelectorAll("p, h1, h2, h3, h4, h5, h6")) {
    if (!block.textContent.trim() && !block.querySelector("img")) {
      block.remove()
      empty++
    }
  }
  if (breaks) removed.push(breaks === 1 ? "ein Zeilenumbruch am Absatzende" : `${breaks} Zeilenumbrüche am Absatzende`)
  if (empty) removed.push(empty === 1 ? "ein leerer Absatz" : `${empty} leere Absätze`)
  return { html: doc.body.innerHTML, removed }
}

function showNotice(editor, removed) {
  const container = editor.view.dom.closest(".prose-editor")
  if (!container) return
  let notice = container.querySelector(".portal-paste-notice")
  if (!notice) {
    const text = crel("span", { className: "portal-paste-notice__text" })
    const close = crel("button", { type: "button", className: "portal-paste-notice__close", textContent: "Ausblenden" })
    notice = crel("div", { className: "portal-paste-notice" }, [text, close])
    notice.setAttribute("role", "status")
    close.addEventListener("click", () => {
      notice.hidden = true
      editor.view.focus()
    })
    container.prepend(notice)  // above the toolbar, in the editor's own column
  }
  notice.hidden = false
  notice.querySelector(".portal-paste-notice__text").textContent =
    `Beim Einfügen weggelassen: ${removed.join("; ")}.`
}

export const PortalEditing = Extension.create({
  name: "portalEditing",

  addProseMirrorPlugins() {
    const editor = this.editor
    return [
      new Plugin({
        props: {
          transformPastedHTML(html) {
            const { html: cleaned, removed } = cleanPastedHtml(html)
            if (removed.length) showNotice(editor, removed)
            return cleaned
          },
        },
      }),
    ]
  },
})
