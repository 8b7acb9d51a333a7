# Included from gateway/support.cmake: the Area Riservata templates, embedded into
# varco_gateway_support at build time (gateway/portal/embed_templates.cmake).
file(GLOB varco_page_templates CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/templates/*.mustache)
set(varco_page_templates_cpp ${CMAKE_BINARY_DIR}/generated/varco/page_templates.cpp)
add_custom_command(
  OUTPUT ${varco_page_templates_cpp}
  COMMAND ${CMAKE_COMMAND} -DTEMPLATE_DIR=${CMAKE_CURRENT_LIST_DIR}/templates
          -DOUTPUT=${varco_page_templates_cpp} -P ${CMAKE_CURRENT_LIST_DIR}/embed_templates.cmake
  DEPENDS ${varco_page_templates} ${CMAKE_CURRENT_LIST_DIR}/embed_templates.cmake
  COMMENT "Embedding the Area Riservata templates"
  VERBATIM)
target_sources(varco_gateway_support PRIVATE ${varco_page_templates_cpp}
               ${CMAKE_CURRENT_LIST_DIR}/page_renderer.cpp ${CMAKE_CURRENT_LIST_DIR}/public_pages.cpp ${CMAKE_CURRENT_LIST_DIR}/confirm_pages.cpp ${CMAKE_CURRENT_LIST_DIR}/users_page.cpp ${CMAKE_CURRENT_LIST_DIR}/area_model.cpp
               ${CMAKE_CURRENT_LIST_DIR}/party_labels.cpp
               ${CMAKE_CURRENT_LIST_DIR}/users_model.cpp ${CMAKE_CURRENT_LIST_DIR}/translations.cpp
               ${CMAKE_CURRENT_LIST_DIR}/delegations_model.cpp
               ${CMAKE_CURRENT_LIST_DIR}/support_form.cpp ${CMAKE_CURRENT_LIST_DIR}/support_stream.cpp
               ${CMAKE_CURRENT_LIST_DIR}/form_draft.cpp ${CMAKE_CURRENT_LIST_DIR}/expired_post.cpp

               ${CMAKE_CURRENT_LIST_DIR}/environment_redirect.cpp)
target_link_libraries(varco_gateway_support PUBLIC varco_policies varco_directory varco_redis)
